package dev.asyncshop.messaging.internal.breaker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

class CircuitBreakerPropertiesTests {

  private static CircuitBreakerProperties bind(Map<String, String> properties) {
    return new Binder(List.of(new MapConfigurationPropertySource(properties)))
        .bindOrCreate("messaging.circuit-breaker", Bindable.of(CircuitBreakerProperties.class));
  }

  @Test
  void byDefaultHalfOfTenMessagesOpenTheBreakerForTenSecondsThenOneTrialMessage() {
    CircuitBreakerProperties defaults = bind(Map.of());

    assertThat(defaults)
        .isEqualTo(new CircuitBreakerProperties(true, 50, 10, 5, Duration.ofSeconds(10), 1));
    CircuitBreakerConfig config = ConsumerBreakers.configOf(defaults);
    assertThat(config.isAutomaticTransitionFromOpenToHalfOpenEnabled()).isTrue();
    assertThat(config.getSlidingWindowType())
        .isEqualTo(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED);
    assertThat(config.getPermittedNumberOfCallsInHalfOpenState()).isEqualTo(1);
  }

  @Test
  void bindsKebabCaseSettings() {
    CircuitBreakerProperties settings =
        bind(
            Map.of(
                "messaging.circuit-breaker.enabled", "false",
                "messaging.circuit-breaker.failure-rate-threshold", "80",
                "messaging.circuit-breaker.sliding-window-size", "20",
                "messaging.circuit-breaker.minimum-number-of-calls", "10",
                "messaging.circuit-breaker.wait-in-open", "30s",
                "messaging.circuit-breaker.permitted-calls-in-half-open", "2"));

    assertThat(settings)
        .isEqualTo(new CircuitBreakerProperties(false, 80, 20, 10, Duration.ofSeconds(30), 2));
  }

  @Test
  void onlyDependencyUnavailableCountsAsAFailure() {
    CircuitBreakerConfig config = ConsumerBreakers.configOf(bind(Map.of()));

    assertThat(
            config
                .getRecordExceptionPredicate()
                .test(
                    new dev.asyncshop.messaging.spi.DependencyUnavailableException(
                        "down", new IllegalStateException())))
        .isTrue();
    assertThat(config.getRecordExceptionPredicate().test(new IllegalStateException("bug")))
        .isFalse();
    assertThat(config.getIgnoreExceptionPredicate().test(new IllegalStateException("bug")))
        .isTrue();
  }

  @Test
  void refusesSettingsNoBreakerCanWorkWithSayingWhatToSet() {
    assertThatThrownBy(
            () -> bind(Map.of("messaging.circuit-breaker.failure-rate-threshold", "150")))
        .isInstanceOf(BindException.class)
        .rootCause()
        .hasMessageContaining("failure-rate-threshold is 150.0")
        .hasMessageContaining("above 0 and at most 100");
    assertThatThrownBy(
            () -> bind(Map.of("messaging.circuit-breaker.minimum-number-of-calls", "11")))
        .rootCause()
        .hasMessageContaining("between 1 and sliding-window-size (10)");
    assertThatThrownBy(() -> bind(Map.of("messaging.circuit-breaker.wait-in-open", "0s")))
        .rootCause()
        .hasMessageContaining("messaging.circuit-breaker.enabled=false");
    assertThatThrownBy(
            () -> bind(Map.of("messaging.circuit-breaker.permitted-calls-in-half-open", "0")))
        .rootCause()
        .hasMessageContaining("at least one trial message");
  }
}
