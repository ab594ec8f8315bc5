package dev.asyncshop.order;

import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The keys that encrypt stored card tokens (AES-256-GCM), apart from the keys of the messages: a
 * key that opens the table opens nothing on the brokers, and the other way round. Each is 32 random
 * bytes in base64 ({@code openssl rand -base64 32}), from a file (a mounted secret) or the
 * environment, never from the repository.
 *
 * @param key the active key: encrypts every card token stored from now on
 * @param keys further keys by id, that still read the tokens stored under them (the previous key
 *     while it rotates)
 */
@ConfigurationProperties("order.card-tokens")
public record CardTokenSettings(@DefaultValue Key key, @Nullable Map<String, Key> keys) {

  public CardTokenSettings {
    keys = keys == null ? Map.of() : Map.copyOf(keys);
  }

  /**
   * One key: its id, which each stored token names, and its secret inline or in a file.
   *
   * @param id the key id; under {@code keys} the map's key names it instead
   * @param secret the 32 bytes in base64, from {@code ORDER_CARDTOKENS_KEY_SECRET}, say
   * @param secretFile the path of a file holding them, such as a mounted secret ({@code
   *     CARDS_KEY_FILE})
   */
  public record Key(@Nullable String id, @Nullable String secret, @Nullable String secretFile) {

    /** An empty placeholder of application.yml counts as not set. */
    public Key {
      id = blankToNull(id);
      secret = blankToNull(secret);
      secretFile = blankToNull(secretFile);
    }

    private static @Nullable String blankToNull(@Nullable String value) {
      return value == null || value.isBlank() ? null : value;
    }
  }
}
