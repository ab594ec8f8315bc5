package dev.asyncshop.messaging.internal.breaker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.asyncshop.messaging.internal.breaker.BreakerFixtures.RecordingIntake;
import io.github.resilience4j.circuitbreaker.CircuitBreaker.State;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

class BreakersHealthIndicatorTests {

  private final BreakerFixtures fixtures = new BreakerFixtures();
  private final BreakersHealthIndicator health = new BreakersHealthIndicator(fixtures.breakers);

  @AfterEach
  void close() {
    fixtures.close();
  }

  @Test
  void upWhileEveryBreakerIsClosed() {
    fixtures.breakers.attach(fixtures.queue, new RecordingIntake());

    Health now = health.health();

    assertThat(now.getStatus()).isEqualTo(Status.UP);
    assertThat(details(now))
        .containsEntry("state", "closed")
        .containsEntry("transport", "rabbitmq")
        .containsEntry("destination", "fixture.commands")
        .containsEntry("group", "fixture-service")
        .containsEntry("paused", false)
        .doesNotContainKey("openSince");
  }

  @Test
  void degradedNotDownWhileABreakerIsOpenOrHalfOpen() {
    fixtures.breakers.attach(fixtures.queue, new RecordingIntake());
    fixtures.unavailable();
    fixtures.unavailable();

    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> details(health.health()).get("paused") == Boolean.TRUE);
    Health open = health.health();
    assertThat(open.getStatus()).isEqualTo(BreakersHealthIndicator.DEGRADED);
    assertThat(open.getStatus().getCode()).isEqualTo("DEGRADED");
    assertThat(details(open))
        .containsEntry("state", "open")
        .containsEntry("failureRate", 100.0f)
        .containsKey("openSince");

    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> fixtures.breaker().state() == State.HALF_OPEN);
    assertThat(health.health().getStatus()).isEqualTo(BreakersHealthIndicator.DEGRADED);

    fixtures.process(BreakerFixtures.handled(new AtomicInteger()));
    assertThat(health.health().getStatus()).isEqualTo(Status.UP);
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> details(Health health) {
    return (Map<String, Object>)
        health.getDetails().get("rabbitmq:fixture.commands:fixture-service");
  }
}
