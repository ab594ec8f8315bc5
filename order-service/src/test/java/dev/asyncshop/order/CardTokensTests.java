package dev.asyncshop.order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.asyncshop.order.CardTokenSettings.Key;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class CardTokensTests {

  static final String CARDS1 = random();
  static final String CARDS2 = random();
  static final UUID ORDER = UUID.randomUUID();

  static String random() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return Base64.getEncoder().encodeToString(key);
  }

  final CardTokens cards1 =
      new CardTokens(new CardTokenSettings(new Key("cards1", CARDS1, null), Map.of()));

  @Test
  void aStoredTokenNamesItsKeyAndShowsNoToken() {
    String stored = cards1.encrypt(ORDER, "tok_visa");

    assertThat(stored).startsWith("enc:v1:cards1:").doesNotContain("tok_visa");
    assertThat(cards1.encrypt(ORDER, "tok_visa")).isNotEqualTo(stored);
    assertThat(cards1.decrypt(ORDER, stored)).isEqualTo("tok_visa");
    assertThat(cards1.encrypt(ORDER, null)).isNull();
  }

  @Test
  void tokensStoredBeforeARotationAreStillRead() {
    String old = cards1.encrypt(ORDER, "tok_visa");
    CardTokens rotated =
        new CardTokens(
            new CardTokenSettings(
                new Key("cards2", CARDS2, null), Map.of("cards1", new Key(null, CARDS1, null))));

    assertThat(rotated.decrypt(ORDER, old)).isEqualTo("tok_visa");
    assertThat(rotated.encrypt(ORDER, "tok_visa")).startsWith("enc:v1:cards2:");
  }

  @Test
  void aTokenInTheClearIsReadAsItIs() {
    assertThat(cards1.decrypt(ORDER, "tok_legacy")).isEqualTo("tok_legacy");
  }

  @Test
  void aTokenMovedToAnotherOrderOrUnderARemovedKeyIsRefusedWithoutShowingIt() {
    String stored = cards1.encrypt(ORDER, "tok_visa");
    CardTokens withoutCards1 =
        new CardTokens(new CardTokenSettings(new Key("cards2", CARDS2, null), Map.of()));

    assertThatThrownBy(() -> cards1.decrypt(UUID.randomUUID(), stored))
        .hasMessageContaining("does not decrypt")
        .hasMessageNotContaining("tok_visa");
    assertThatThrownBy(() -> withoutCards1.decrypt(ORDER, stored))
        .hasMessageContaining("under key 'cards1', which is not under order.card-tokens");
  }

  @Test
  void withoutAnActiveKeyOrWithAShortOneTheServiceDoesNotStart() {
    assertThatThrownBy(
            () -> new CardTokens(new CardTokenSettings(new Key(null, null, null), Map.of())))
        .hasMessageStartingWith("order.card-tokens.key.id is not set");
    String shortKey = Base64.getEncoder().encodeToString(new byte[16]);
    assertThatThrownBy(
            () ->
                new CardTokens(new CardTokenSettings(new Key("cards1", shortKey, null), Map.of())))
        .hasMessageStartingWith("order.card-tokens.key is 16 bytes, not 32");
  }
}
