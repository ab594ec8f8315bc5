package dev.asyncshop.messaging.internal.breaker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.asyncshop.messaging.internal.AuditTrail;
import dev.asyncshop.messaging.internal.MessagingMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.actuate.endpoint.SimpleHttpCodeStatusMapper;
import org.springframework.boot.health.actuate.endpoint.SimpleStatusAggregator;
import org.springframework.boot.health.actuate.endpoint.StatusAggregator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

class CircuitBreakerAutoConfigurationTests {

  /** What the breakers need of the core auto-configuration. */
  @Configuration(proxyBeanMethods = false)
  static class Core {

    @Bean
    MessagingMetrics messagingMetrics() {
      return new MessagingMetrics(new SimpleMeterRegistry());
    }

    @Bean
    AuditTrail messagingAuditTrail(MessagingMetrics metrics) {
      return new AuditTrail(List.of(), metrics, "autoconfig-test", Clock.systemUTC());
    }

    @Bean(defaultCandidate = false)
    Clock messagingClock() {
      return Clock.systemUTC();
    }
  }

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(CircuitBreakerAutoConfiguration.class))
          .withUserConfiguration(Core.class);

  @Test
  void everySubscriptionGetsABreakerStepAndHealthByDefault() {
    runner.run(
        context -> {
          assertThat(context).hasSingleBean(ConsumerBreakers.class);
          assertThat(context).hasSingleBean(CircuitBreakerStep.class);
          assertThat(context).hasBean("messagingBreakersHealthIndicator");
          assertThat(context.getBean(CircuitBreakerProperties.class).enabled()).isTrue();
        });
  }

  @Test
  void offNothingOfItIsThere() {
    runner
        .withPropertyValues("messaging.circuit-breaker.enabled=false")
        .run(
            context -> {
              assertThat(context).doesNotHaveBean(ConsumerBreakers.class);
              assertThat(context).doesNotHaveBean(CircuitBreakerStep.class);
              assertThat(context).doesNotHaveBean("messagingBreakersHealthIndicator");
            });
  }

  @Test
  void settingsThatCannotWorkStopStartUp() {
    runner
        .withPropertyValues("messaging.circuit-breaker.sliding-window-size=0")
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .rootCause()
                    .hasMessageContaining("sliding-window-size is 0"));
  }

  @Test
  void degradedRanksBetweenDownAndUpUnlessTheApplicationOrdersTheStatusesItself() {
    StandardEnvironment environment = new StandardEnvironment();
    new DegradedHealthDefaults().postProcessEnvironment(environment, new SpringApplication());
    String order = environment.getProperty("management.endpoint.health.status.order");
    assertThat(order).isEqualTo("DOWN,OUT_OF_SERVICE,DEGRADED,UP,UNKNOWN");
    StatusAggregator aggregator = new SimpleStatusAggregator(order.split(","));
    Status degraded = BreakersHealthIndicator.DEGRADED;
    assertThat(aggregator.getAggregateStatus(Status.UP, degraded)).isEqualTo(degraded);
    assertThat(aggregator.getAggregateStatus(Status.DOWN, degraded)).isEqualTo(Status.DOWN);
    assertThat(new SimpleHttpCodeStatusMapper().getStatusCode(degraded)).isEqualTo(200);

    StandardEnvironment ordered = new StandardEnvironment();
    ordered
        .getPropertySources()
        .addFirst(
            new MapPropertySource(
                "application",
                Map.of("management.endpoint.health.status.order", "DOWN,UP,DEGRADED")));
    new DegradedHealthDefaults().postProcessEnvironment(ordered, new SpringApplication());
    assertThat(ordered.getProperty("management.endpoint.health.status.order"))
        .isEqualTo("DOWN,UP,DEGRADED");
  }
}
