package dev.asyncshop.messaging.internal.encryption;

import static org.assertj.core.api.Assertions.assertThat;

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
 * {@code messaging.encryption.*} binds from environment variables, as ./asyncshop, Compose and the
 * Kubernetes ConfigMaps set it.
 */
class EncryptionPropertiesBindingTests {

  @Test
  void environmentVariablesBindTheKeysTheirTypesAndWhichIsActive() {
    Map<String, Object> variables =
        Map.of(
            "MESSAGING_ENCRYPTION_KEY_ID", "main1",
            "MESSAGING_ENCRYPTION_KEY_SECRETFILE", "/run/secrets/main1",
            "MESSAGING_ENCRYPTION_KEYS_PAYMENT1_SECRETFILE", "/etc/asyncshop/encryption/payment1",
            "MESSAGING_ENCRYPTION_KEYS_PAYMENT1_TYPES", "payment.authorize.v1",
            "MESSAGING_ENCRYPTION_KEYS_PAYMENT1_ACTIVE", "true",
            "MESSAGING_ENCRYPTION_KEYS_PAYMENT0_SECRET", "c2VjcmV0");
    StandardEnvironment environment = new StandardEnvironment();
    MutablePropertySources sources = environment.getPropertySources();
    sources.replace(
        StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
        new SystemEnvironmentPropertySource(
            StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, variables));

    EncryptionProperties properties =
        new Binder(ConfigurationPropertySources.from(sources))
            .bindOrCreate("messaging.encryption", Bindable.of(EncryptionProperties.class));

    assertThat(properties.key().id()).isEqualTo("main1");
    assertThat(properties.key().secretFile()).isEqualTo("/run/secrets/main1");
    assertThat(properties.keys()).containsOnlyKeys("payment1", "payment0");
    assertThat(properties.keys().get("payment1").types())
        .isEqualTo(List.of("payment.authorize.v1"));
    assertThat(properties.keys().get("payment1").active()).isTrue();
    assertThat(properties.keys().get("payment0").active()).isFalse();
    assertThat(properties.keys().get("payment0").secret()).isEqualTo("c2VjcmV0");
  }

  @Test
  void withNothingSetNoKeyIsHeld() {
    EncryptionProperties properties =
        new Binder(ConfigurationPropertySources.from(new MutablePropertySources()))
            .bindOrCreate("messaging.encryption", Bindable.of(EncryptionProperties.class));

    assertThat(properties.key().id()).isNull();
    assertThat(properties.keys()).isEmpty();
  }
}
