package dev.asyncshop.messaging.internal.signing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.asyncshop.messaging.internal.signing.SigningProperties.Verify;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * {@code messaging.signing.*} binds from environment variables, as ./asyncshop, Compose and the
 * Kubernetes ConfigMaps set it.
 */
class SigningPropertiesBindingTests {

  @Test
  void environmentVariablesBindTheKeysAndTheirOwners() {
    Map<String, Object> variables =
        Map.of(
            "MESSAGING_SIGNING_VERIFY", "enforce",
            "MESSAGING_SIGNING_KEY_ID", "orderlocal",
            "MESSAGING_SIGNING_KEY_PRIVATEKEYFILE", "/run/secrets/order-signing-key",
            "MESSAGING_SIGNING_KEYS_ORDERLOCAL_OWNER", "order-service",
            "MESSAGING_SIGNING_KEYS_ORDERLOCAL_PUBLICKEYFILE", "/run/secrets/order-signing-public",
            "MESSAGING_SIGNING_KEYS_PAYMENT1_OWNER", "payment-service",
            "MESSAGING_SIGNING_KEYS_PAYMENT1_PUBLICKEYFILE",
                "/etc/asyncshop/signing/payment.pub.pem",
            "MESSAGING_SIGNING_KEYS_PAYMENT1_NOTAFTER", "2027-06-30T00:00:00Z",
            "MESSAGING_SIGNING_ALLOWEDSENDERS_0_TYPE", "payment.authorize.v1",
            "MESSAGING_SIGNING_ALLOWEDSENDERS_0_SERVICES", "order-service");
    StandardEnvironment environment = new StandardEnvironment();
    MutablePropertySources sources = environment.getPropertySources();
    sources.replace(
        StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
        new SystemEnvironmentPropertySource(
            StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, variables));

    SigningProperties properties =
        new Binder(ConfigurationPropertySources.from(sources))
            .bindOrCreate("messaging.signing", Bindable.of(SigningProperties.class));

    assertThat(properties.verify()).isEqualTo(Verify.ENFORCE);
    assertThat(properties.key().id()).isEqualTo("orderlocal");
    assertThat(properties.key().privateKeyFile()).isEqualTo("/run/secrets/order-signing-key");
    assertThat(properties.keys()).containsOnlyKeys("orderlocal", "payment1");
    assertThat(properties.keys().get("orderlocal").owner()).isEqualTo("order-service");
    assertThat(properties.keys().get("payment1").publicKeyFile())
        .isEqualTo("/etc/asyncshop/signing/payment.pub.pem");
    assertThat(properties.keys().get("payment1").notAfter())
        .isEqualTo(java.time.Instant.parse("2027-06-30T00:00:00Z"));
    assertThat(properties.keys().get("orderlocal").notAfter()).isNull();
    assertThat(properties.allowedSenders().get(0).services()).isEqualTo(List.of("order-service"));
    assertThat(properties.rememberOwn()).isTrue();
  }

  @Test
  void aServiceMayRememberNoneOfItsOwnSignatures() {
    StandardEnvironment environment = new StandardEnvironment();
    environment
        .getPropertySources()
        .replace(
            StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
            new SystemEnvironmentPropertySource(
                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                Map.of("MESSAGING_SIGNING_REMEMBEROWN", "false")));

    SigningProperties properties =
        new Binder(ConfigurationPropertySources.from(environment.getPropertySources()))
            .bindOrCreate("messaging.signing", Bindable.of(SigningProperties.class));

    assertThat(properties.rememberOwn()).isFalse();
  }

  @Test
  void withNothingSetNothingIsSignedOrChecked() {
    SigningProperties properties =
        new Binder(ConfigurationPropertySources.from(new MutablePropertySources()))
            .bindOrCreate("messaging.signing", Bindable.of(SigningProperties.class));

    assertThat(properties.verify()).isEqualTo(Verify.OFF);
    assertThat(properties.key().id()).isNull();
    assertThat(properties.keys()).isEmpty();
    assertThat(properties.allowedSenders()).isEmpty();
    assertThat(properties.rememberOwn()).isTrue();
  }
}
