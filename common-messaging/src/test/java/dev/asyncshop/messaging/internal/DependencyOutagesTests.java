package dev.asyncshop.messaging.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.asyncshop.messaging.Transport;
import dev.asyncshop.messaging.spi.DependencyUnavailableException;
import dev.asyncshop.messaging.spi.Subscription;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.dao.DataAccessResourceFailureException;

@ExtendWith(OutputCaptureExtension.class)
class DependencyOutagesTests {

  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final MovableClock clock = new MovableClock();
  private final DependencyOutages outages =
      new DependencyOutages(new MessagingMetrics(meters), clock);
  private final Subscription queue =
      new Subscription(Transport.RABBITMQ, "outage.commands", "group", Map.of());
  private final Subscription topic =
      new Subscription(Transport.KAFKA, "outage.events", "group", Map.of());

  private static DependencyUnavailableException down() {
    return new DependencyUnavailableException(
        "m-1 could not be handled", new DataAccessResourceFailureException("database down"));
  }

  private double count(Subscription subscription) {
    return meters
        .get(MessagingMetrics.CONSUMER_UNAVAILABLE)
        .tag("transport", subscription.transport().id())
        .tag("destination", subscription.destination())
        .counter()
        .count();
  }

  @Test
  void everyMessageIsCountedButAnOutageIsLoggedOncePerDestinationAndPeriod(CapturedOutput output) {
    for (int i = 0; i < 50; i++) {
      outages.report(queue, down(), "it goes back to the queue");
      clock.advance(Duration.ofMillis(100));
    }
    outages.report(topic, down(), "it is read again from its offset");

    assertThat(count(queue)).isEqualTo(50.0);
    assertThat(count(topic)).isEqualTo(1.0);
    assertThat(lines(output, "outage.commands")).isEqualTo(1);
    assertThat(lines(output, "outage.events")).isEqualTo(1);
    assertThat(output.getAll())
        .contains(
            "A message from outage.commands could not be handled while a dependency is"
                + " unavailable; it goes back to the queue:")
        .contains("database down");

    clock.advance(DependencyOutages.LOG_EVERY);
    outages.report(queue, down(), "it goes back to the queue");

    assertThat(lines(output, "outage.commands")).isEqualTo(2);
    assertThat(output.getAll())
        .contains(
            "50 more message(s) from outage.commands could not be handled while a dependency is"
                + " unavailable");
  }

  private static long lines(CapturedOutput output, String destination) {
    return output.getAll().lines().filter(line -> line.contains("from " + destination)).count();
  }

  private static final class MovableClock extends Clock {
    private Instant now = Instant.parse("2026-12-01T10:00:00Z");

    void advance(Duration duration) {
      now = now.plus(duration);
    }

    @Override
    public ZoneId getZone() {
      return ZoneId.of("UTC");
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
