package dev.asyncshop.messaging.internal.encryption;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Everything under {@code messaging.encryption.*}: the master keys this service holds for the
 * routes with {@code encrypt: true}. Each is 32 random bytes in base64 ({@code openssl rand -base64
 * 32}), from a file (a mounted secret) or the environment, never from the repository.
 *
 * @param key the active master key: it wraps the data key of every encrypted message whose type no
 *     active key of {@code keys} names; also accepted for decrypting
 * @param keys further master keys by id, accepted for decrypting: the previous key while it
 *     rotates, or the keys of single types
 */
@ConfigurationProperties("messaging.encryption")
public record EncryptionProperties(
    @DefaultValue ActiveKey key, @Nullable Map<String, MasterKey> keys) {

  public EncryptionProperties {
    keys = keys == null ? Map.of() : Map.copyOf(keys);
  }

  /**
   * The active master key: its id and its secret, inline (from an environment variable) or as a
   * file. Without an id no key is active for the types {@code keys} does not cover.
   *
   * @param id the key id every message it encrypts names in {@code encryptionkeyid}, so receivers
   *     know which master key unwraps its data key
   * @param secret the 32 bytes in base64, usually from {@code MESSAGING_ENCRYPTION_KEY_SECRET}
   * @param secretFile the path of a file that holds them, such as a mounted secret; may be left out
   *     when {@code keys.<id>} holds the secret
   */
  public record ActiveKey(
      @Nullable String id, @Nullable String secret, @Nullable String secretFile) {}

  /**
   * A master key held under its id.
   *
   * @param secret the 32 bytes in base64
   * @param secretFile the path of a file holding them, instead of the text
   * @param types the only message types this key encrypts and decrypts; empty for any type, so one
   *     key per type keeps a service that holds one from reading the others
   * @param active this key encrypts its {@code types} (which it must name), in place of {@code key}
   */
  public record MasterKey(
      @Nullable String secret,
      @Nullable String secretFile,
      @DefaultValue List<String> types,
      @DefaultValue("false") boolean active) {}
}
