package dev.asyncshop.messaging.internal.encryption;

import static org.assertj.core.api.Assertions.assertThat;

import dev.asyncshop.messaging.MessagingProperties;
import dev.asyncshop.messaging.internal.AuditTrail;
import dev.asyncshop.messaging.internal.MessagingMetrics;
import dev.asyncshop.messaging.test.TestEncryptionKeys;
import dev.asyncshop.messaging.test.TestEncryptionKeys.TestMasterKey;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

class EncryptionAutoConfigurationTests {

  static final TestMasterKey PAY1 = TestEncryptionKeys.generate("pay1");

  /** What the encryption configuration takes from the library's own. */
  @Configuration(proxyBeanMethods = false)
  @EnableConfigurationProperties(MessagingProperties.class)
  static class Library {
    @Bean(defaultCandidate = false)
    Clock messagingClock() {
      return Clock.systemUTC();
    }

    @Bean
    AuditTrail messagingAuditTrail() {
      return new AuditTrail(
          List.of(),
          new MessagingMetrics(new SimpleMeterRegistry()),
          "test-service",
          Clock.systemUTC());
    }
  }

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withUserConfiguration(Library.class)
          .withConfiguration(AutoConfigurations.of(EncryptionAutoConfiguration.class));

  private static final String[] ENCRYPTED_ROUTE = {
    "messaging.routes[0].type=payment.authorize.v1",
    "messaging.routes[0].kind=command",
    "messaging.routes[0].destination=payment.authorize",
    "messaging.routes[0].encrypt=true"
  };

  @Test
  void withoutKeysOrEncryptedRoutesTheStepsStillStart() {
    runner.run(
        context -> {
          assertThat(context).hasNotFailed();
          assertThat(context).hasSingleBean(EncryptStep.class);
          assertThat(context).hasSingleBean(DecryptStep.class);
        });
  }

  @Test
  void anActiveKeyEncryptsAndDecrypts() {
    runner
        .withPropertyValues(ENCRYPTED_ROUTE)
        .withPropertyValues(
            "messaging.encryption.key.id=pay1", "messaging.encryption.key.secret=" + PAY1.secret())
        .run(
            context -> {
              assertThat(context).hasSingleBean(EncryptStep.class);
              assertThat(context).hasSingleBean(DecryptStep.class);
            });
  }

  @Test
  void anEncryptedRouteWithoutAKeyStopsTheStart() {
    runner
        .withPropertyValues(ENCRYPTED_ROUTE)
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .hasStackTraceContaining(InvalidEncryptionSettingsException.class.getName())
                    .hasStackTraceContaining(
                        "Route 'payment.authorize.v1' has encrypt: true but no master key is"
                            + " active for it"));
  }
}
