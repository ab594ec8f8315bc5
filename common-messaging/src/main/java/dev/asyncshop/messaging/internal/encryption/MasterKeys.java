package dev.asyncshop.messaging.internal.encryption;

import dev.asyncshop.messaging.MessagingProperties.Route;
import dev.asyncshop.messaging.internal.encryption.EncryptionProperties.ActiveKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * The master keys of {@link EncryptionProperties}, read and checked once at start-up: a service
 * whose keys cannot work refuses to start, saying which setting is wrong and what to do, rather
 * than send what nobody can read or reject everything it receives.
 */
final class MasterKeys {

  static final int KEY_BYTES = 32;

  /** Key ids travel as an attribute and name environment variables: no room for surprises. */
  private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  /**
   * One master key under its id.
   *
   * @param types the types it is for; empty for any
   */
  record HeldKey(String id, SecretKey secret, Set<String> types) {

    boolean isFor(String type) {
      return types.isEmpty() || types.contains(type);
    }

    /** Never the secret, whatever prints this. */
    @Override
    public String toString() {
      return "HeldKey[" + id + "]";
    }
  }

  private final Map<String, HeldKey> held;
  private final @Nullable HeldKey defaultActive;
  private final Map<String, HeldKey> activeByType;

  private MasterKeys(
      Map<String, HeldKey> held,
      @Nullable HeldKey defaultActive,
      Map<String, HeldKey> activeByType) {
    this.held = Map.copyOf(held);
    this.defaultActive = defaultActive;
    this.activeByType = Map.copyOf(activeByType);
  }

  /**
   * @param routes the service's routes; each with {@code encrypt: true} needs an active key
   * @throws InvalidEncryptionSettingsException if a key is missing, unreadable, not 32 bytes, or a
   *     route cannot be encrypted
   */
  static MasterKeys load(EncryptionProperties properties, List<Route> routes) {
    Map<String, HeldKey> held = new LinkedHashMap<>();
    Map<String, HeldKey> activeByType = new LinkedHashMap<>();
    // in the order of their ids, so a refusal names the same keys in the same order every time
    new TreeMap<>(properties.keys())
        .forEach(
            (id, key) -> {
              String setting = "messaging.encryption.keys." + id;
              HeldKey loaded =
                  new HeldKey(
                      checkedId(setting, id),
                      secret(setting, key.secret(), key.secretFile()),
                      Set.copyOf(key.types()));
              held.put(id, loaded);
              if (key.active()) {
                if (key.types().isEmpty()) {
                  throw new InvalidEncryptionSettingsException(
                      ("%s.active is true but the key names no types. An active key of"
                              + " messaging.encryption.keys encrypts the types it lists; list them"
                              + " under %s.types, or make it the active key for every type with"
                              + " messaging.encryption.key.id=%s.")
                          .formatted(setting, setting, id));
                }
                for (String type : key.types()) {
                  HeldKey other = activeByType.putIfAbsent(type, loaded);
                  if (other != null) {
                    throw new InvalidEncryptionSettingsException(
                        ("Both messaging.encryption.keys.%s and .%s are active for %s; one key"
                                + " encrypts a type. Set active to false on the one being"
                                + " retired (it still decrypts).")
                            .formatted(other.id(), id, type));
                  }
                }
              }
            });
    HeldKey defaultActive = defaultActive(properties.key(), held);
    MasterKeys keys = new MasterKeys(held, defaultActive, activeByType);
    for (Route route : routes) {
      if (route.encrypt() && keys.activeFor(route.type()) == null) {
        throw new InvalidEncryptionSettingsException(
            ("Route '%s' has encrypt: true but no master key is active for it, so its messages"
                    + " could be neither encrypted nor decrypted. Set messaging.encryption.key.id"
                    + " and messaging.encryption.key.secret-file (a mounted secret of 32 random"
                    + " bytes in base64), or mark a key under messaging.encryption.keys.<id> active"
                    + " for this type; or set encrypt to false.")
                .formatted(route.type()));
      }
    }
    return keys;
  }

  private static @Nullable HeldKey defaultActive(ActiveKey key, Map<String, HeldKey> held) {
    if (key.id() == null || key.id().isBlank()) {
      if (key.secret() != null || key.secretFile() != null) {
        throw new InvalidEncryptionSettingsException(
            "messaging.encryption.key has a secret but no id. Set messaging.encryption.key.id to"
                + " the id receivers hold this key under.");
      }
      return null;
    }
    String id = checkedId("messaging.encryption.key.id", key.id());
    HeldKey alsoHeld = held.get(id);
    if (key.secret() == null && key.secretFile() == null) {
      if (alsoHeld == null) {
        throw new InvalidEncryptionSettingsException(
            ("messaging.encryption.key.id is '%s' but neither messaging.encryption.key nor"
                    + " messaging.encryption.keys.%s has its secret. Set"
                    + " messaging.encryption.key.secret-file to the mounted secret (or .secret to"
                    + " the base64 text).")
                .formatted(id, id));
      }
      return alsoHeld;
    }
    SecretKey secret = secret("messaging.encryption.key", key.secret(), key.secretFile());
    if (alsoHeld != null
        && !MessageDigest.isEqual(secret.getEncoded(), alsoHeld.secret().getEncoded())) {
      throw new InvalidEncryptionSettingsException(
          ("messaging.encryption.key and messaging.encryption.keys.%s have the same id, '%s', but"
                  + " different secrets; a key id names one secret. Give the new secret a new id.")
              .formatted(id, id));
    }
    HeldKey active = alsoHeld != null ? alsoHeld : new HeldKey(id, secret, Set.of());
    held.put(id, active);
    return active;
  }

  /** The key that encrypts messages of the type, or {@code null} if none is active for it. */
  @Nullable HeldKey activeFor(String type) {
    HeldKey typed = activeByType.get(type);
    if (typed != null) {
      return typed;
    }
    return defaultActive != null && defaultActive.isFor(type) ? defaultActive : null;
  }

  /** The key of that id, if it is held and is for that type; {@code null} otherwise. */
  @Nullable HeldKey held(String id, String type) {
    HeldKey key = held.get(id);
    return key != null && key.isFor(type) ? key : null;
  }

  boolean holdsAny() {
    return !held.isEmpty();
  }

  private static String checkedId(String setting, String id) {
    if (!KEY_ID.matcher(id).matches()) {
      throw new InvalidEncryptionSettingsException(
          ("%s: '%s' is not a key id. Use 1 to 64 letters, digits, '.', '_' or '-' (lower case if"
                  + " it is set from the environment), such as payment2.")
              .formatted(setting, id));
    }
    return id;
  }

  /** The 32 bytes given inline or in a file; exactly one of the two. */
  private static SecretKey secret(String setting, @Nullable String inline, @Nullable String file) {
    if ((inline == null) == (file == null)) {
      throw new InvalidEncryptionSettingsException(
          ("%s needs exactly one of secret (the base64 text, say from an environment variable)"
                  + " and secret-file (the path of a mounted secret); it has %s.")
              .formatted(setting, inline == null ? "neither" : "both"));
    }
    String text = inline;
    if (file != null) {
      try {
        text = Files.readString(Path.of(file), StandardCharsets.US_ASCII);
      } catch (IOException e) {
        throw new InvalidEncryptionSettingsException(
            "%s.secret-file '%s' cannot be read: %s. Mount the secret there or correct the path."
                .formatted(setting, file, e.getClass().getSimpleName()),
            e);
      }
    }
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(text.strip());
    } catch (IllegalArgumentException e) {
      // the exception would quote the offending character of the secret, so it is left out
      throw new InvalidEncryptionSettingsException(
          "%s is not base64. Make a key with `openssl rand -base64 32`.".formatted(setting));
    }
    if (bytes.length != KEY_BYTES) {
      throw new InvalidEncryptionSettingsException(
          ("%s is %d bytes, not %d: AES-256 needs 32 random bytes. Make a key with `openssl rand"
                  + " -base64 32`.")
              .formatted(setting, bytes.length, KEY_BYTES));
    }
    return new SecretKeySpec(bytes, "AES");
  }
}
