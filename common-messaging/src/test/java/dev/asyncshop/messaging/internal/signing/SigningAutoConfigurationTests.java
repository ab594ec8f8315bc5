package dev.asyncshop.messaging.internal.signing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.asyncshop.messaging.MessagingProperties;
import dev.asyncshop.messaging.internal.AuditTrail;
import dev.asyncshop.messaging.internal.MessagingMetrics;
import dev.asyncshop.messaging.test.TestSigningKeys;
import dev.asyncshop.messaging.test.TestSigningKeys.TestKey;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

class SigningAutoConfigurationTests {

  static final TestKey KEY = TestSigningKeys.generate("order1", "order-service");

  /** What the signing configuration takes from the library's own. */
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
          .withConfiguration(AutoConfigurations.of(SigningAutoConfiguration.class));

  private static String[] properties(String verify, boolean sign) {
    Map<String, Object> properties = new LinkedHashMap<>();
    properties.put("messaging.signing.verify", verify);
    KEY.accept(properties);
    if (sign) {
      KEY.signWith(properties);
    }
    return properties.entrySet().stream()
        .map(e -> e.getKey() + "=" + e.getValue())
        .toArray(String[]::new);
  }

  @Test
  void byDefaultNothingIsSignedOrChecked() {
    runner.run(
        context -> {
          assertThat(context).hasNotFailed();
          assertThat(context).doesNotHaveBean(SignStep.class);
          assertThat(context).doesNotHaveBean(VerifySignatureStep.class);
        });
  }

  @Test
  void aKeySignsAndEnforceChecks() {
    runner
        .withPropertyValues(properties("enforce", true))
        .run(
            context -> {
              assertThat(context).hasSingleBean(SignStep.class);
              assertThat(context).hasSingleBean(VerifySignatureStep.class);
            });
  }

  @Test
  void checkingWithoutSigningIsPossible() {
    runner
        .withPropertyValues(properties("warn", false))
        .run(
            context -> {
              assertThat(context).doesNotHaveBean(SignStep.class);
              assertThat(context).hasSingleBean(VerifySignatureStep.class);
            });
  }

  @Test
  void unusableKeysStopTheStartWithTheSettingToChange() {
    runner
        .withPropertyValues(
            "messaging.signing.verify=enforce",
            "messaging.signing.keys.order1.owner=order-service",
            "messaging.signing.keys.order1.public-key-file=/no/such/order1.pem")
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .hasStackTraceContaining(InvalidSigningSettingsException.class.getName())
                    .hasStackTraceContaining(
                        "messaging.signing.keys.order1.public-key-file '/no/such/order1.pem'"
                            + " cannot be read"));
  }
}
