package dev.asyncshop.messaging.internal.encryption;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.asyncshop.messaging.MessageKind;
import dev.asyncshop.messaging.MessagingProperties.Route;
import dev.asyncshop.messaging.Transport;
import dev.asyncshop.messaging.internal.encryption.EncryptionProperties.ActiveKey;
import dev.asyncshop.messaging.internal.encryption.EncryptionProperties.MasterKey;
import dev.asyncshop.messaging.test.TestEncryptionKeys;
import dev.asyncshop.messaging.test.TestEncryptionKeys.TestMasterKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MasterKeysTests {

  static final TestMasterKey PAY1 = TestEncryptionKeys.generate("pay1");
  static final TestMasterKey SHIP1 = TestEncryptionKeys.generate("ship1");
  static final Route AUTHORIZE =
      new Route(
          "payment.authorize.v1",
          MessageKind.COMMAND,
          Transport.RABBITMQ,
          "payment.authorize",
          null,
          Duration.ofSeconds(5),
          true);

  @TempDir Path dir;

  @Test
  void theActiveKeyComesFromAFileAndIsAlsoHeld() throws Exception {
    Path file = dir.resolve("pay1.key");
    Files.writeString(file, PAY1.secret() + "\n");

    MasterKeys keys =
        MasterKeys.load(
            new EncryptionProperties(new ActiveKey("pay1", null, file.toString()), Map.of()),
            List.of(AUTHORIZE));

    assertThat(keys.activeFor("payment.authorize.v1").id()).isEqualTo("pay1");
    assertThat(keys.held("pay1", "payment.authorize.v1")).isNotNull();
    assertThat(keys.held("pay1", "payment.authorize.v1").toString()).doesNotContain(PAY1.secret());
  }

  @Test
  void eachTypeHasItsOwnActiveKey() {
    Map<String, MasterKey> held = new LinkedHashMap<>();
    held.put("pay1", new MasterKey(PAY1.secret(), null, List.of("payment.authorize.v1"), true));
    held.put("ship1", new MasterKey(SHIP1.secret(), null, List.of("shipping.schedule.v1"), true));

    MasterKeys keys =
        MasterKeys.load(
            new EncryptionProperties(new ActiveKey(null, null, null), held), List.of(AUTHORIZE));

    assertThat(keys.activeFor("payment.authorize.v1").id()).isEqualTo("pay1");
    assertThat(keys.activeFor("shipping.schedule.v1").id()).isEqualTo("ship1");
    assertThat(keys.activeFor("order.placed.v1")).isNull();
    assertThat(keys.held("pay1", "shipping.schedule.v1")).isNull();
  }

  @Test
  void anEncryptedRouteWithoutAnActiveKeyStopsTheStart() {
    assertThatThrownBy(
            () ->
                MasterKeys.load(
                    new EncryptionProperties(
                        new ActiveKey(null, null, null),
                        Map.of("pay1", new MasterKey(PAY1.secret(), null, List.of(), false))),
                    List.of(AUTHORIZE)))
        .isInstanceOf(InvalidEncryptionSettingsException.class)
        .hasMessageStartingWith(
            "Route 'payment.authorize.v1' has encrypt: true but no master key is active for it");
  }

  @Test
  void aShortKeyAnUnreadableFileAndBadBase64StopTheStartWithoutShowingTheKey() {
    String shortKey = Base64.getEncoder().encodeToString(new byte[16]);
    assertThatThrownBy(() -> load(new ActiveKey("pay1", shortKey, null)))
        .isInstanceOf(InvalidEncryptionSettingsException.class)
        .hasMessageStartingWith("messaging.encryption.key is 16 bytes, not 32")
        .hasMessageNotContaining(shortKey);
    assertThatThrownBy(() -> load(new ActiveKey("pay1", null, "/no/such/pay1.key")))
        .hasMessageStartingWith(
            "messaging.encryption.key.secret-file '/no/such/pay1.key' cannot be read");
    assertThatThrownBy(() -> load(new ActiveKey("pay1", "s3cr3t!*", null)))
        .hasMessageStartingWith("messaging.encryption.key is not base64")
        .hasMessageNotContaining("s3cr3t");
    assertThatThrownBy(() -> load(new ActiveKey("pay1", PAY1.secret(), "/etc/pay1.key")))
        .hasMessageContaining("needs exactly one of secret")
        .hasMessageContaining("it has both");
    assertThatThrownBy(() -> load(new ActiveKey(null, PAY1.secret(), null)))
        .hasMessageStartingWith("messaging.encryption.key has a secret but no id");
    assertThatThrownBy(() -> load(new ActiveKey("pay 1", PAY1.secret(), null)))
        .hasMessageContaining("is not a key id");
  }

  @Test
  void twoActiveKeysForOneTypeOrAnActiveKeyWithoutTypesStopTheStart() {
    Map<String, MasterKey> both = new LinkedHashMap<>();
    both.put("pay1", new MasterKey(PAY1.secret(), null, List.of("payment.authorize.v1"), true));
    both.put("pay2", new MasterKey(SHIP1.secret(), null, List.of("payment.authorize.v1"), true));
    assertThatThrownBy(
            () ->
                MasterKeys.load(
                    new EncryptionProperties(new ActiveKey(null, null, null), both), List.of()))
        .hasMessageStartingWith(
            "Both messaging.encryption.keys.pay1 and .pay2 are active for payment.authorize.v1");
    assertThatThrownBy(
            () ->
                MasterKeys.load(
                    new EncryptionProperties(
                        new ActiveKey(null, null, null),
                        Map.of("pay1", new MasterKey(PAY1.secret(), null, List.of(), true))),
                    List.of()))
        .hasMessageContaining("messaging.encryption.keys.pay1.active is true but the key names");
  }

  @Test
  void oneIdNamesOneSecret() {
    assertThatThrownBy(
            () ->
                MasterKeys.load(
                    new EncryptionProperties(
                        new ActiveKey("pay1", SHIP1.secret(), null),
                        Map.of("pay1", new MasterKey(PAY1.secret(), null, List.of(), false))),
                    List.of()))
        .hasMessageContaining("have the same id, 'pay1', but different secrets");
    assertThat(
            MasterKeys.load(
                    new EncryptionProperties(
                        new ActiveKey("pay1", null, null),
                        Map.of("pay1", new MasterKey(PAY1.secret(), null, List.of(), false))),
                    List.of(AUTHORIZE))
                .activeFor("payment.authorize.v1")
                .id())
        .isEqualTo("pay1");
  }

  private static MasterKeys load(ActiveKey key) {
    return MasterKeys.load(new EncryptionProperties(key, Map.of()), List.of());
  }
}
