package dev.asyncshop.messaging.internal.breaker;

import dev.asyncshop.messaging.Envelope;
import dev.asyncshop.messaging.Transport;
import dev.asyncshop.messaging.internal.AuditTrail;
import dev.asyncshop.messaging.internal.MessagingMetrics;
import dev.asyncshop.messaging.spi.AuditRecord;
import dev.asyncshop.messaging.spi.ConsumeResult;
import dev.asyncshop.messaging.spi.ConsumerContext;
import dev.asyncshop.messaging.spi.ConsumerStep;
import dev.asyncshop.messaging.spi.DeadLetter;
import dev.asyncshop.messaging.spi.DecodedMessage;
import dev.asyncshop.messaging.spi.DependencyUnavailableException;
import dev.asyncshop.messaging.spi.InboundDelivery;
import dev.asyncshop.messaging.spi.Subscription;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.dao.DataAccessResourceFailureException;

/**
 * Breakers of a queue's subscription with short settings, its meters in memory, an audit trail that
 * keeps its records, and an intake that notes what it was told, on which thread; no broker.
 */
final class BreakerFixtures implements AutoCloseable {

  static final CircuitBreakerProperties SETTINGS =
      new CircuitBreakerProperties(true, 50, 4, 2, Duration.ofMillis(300), 1);

  final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  final MessagingMetrics metrics = new MessagingMetrics(meters);
  final List<AuditRecord> audited = new CopyOnWriteArrayList<>();
  final AuditTrail audit =
      new AuditTrail(List.of(audited::add), metrics, "fixture-service", Clock.systemUTC());
  final ConsumerBreakers breakers =
      new ConsumerBreakers(SETTINGS, metrics, audit, Clock.systemUTC());
  final CircuitBreakerStep step = new CircuitBreakerStep(breakers);
  final Subscription queue =
      new Subscription(Transport.RABBITMQ, "fixture.commands", "fixture-service", Map.of());

  /** A context as the steps before the breaker leave it: envelope read. */
  ConsumerContext context() {
    Envelope envelope =
        new Envelope(
            UUID.randomUUID().toString(),
            "/other-service",
            "fixture.command.v1",
            Instant.now(),
            "order-1",
            Envelope.JSON,
            "flow-1",
            null,
            null,
            "order-1");
    DecodedMessage message =
        new DecodedMessage(envelope, "{\"text\":\"t\"}".getBytes(StandardCharsets.UTF_8));
    ConsumerContext context =
        new ConsumerContext(
            queue,
            new InboundDelivery() {
              @Override
              public DecodedMessage decode() {
                return message;
              }

              @Override
              public void deadLetter(DeadLetter deadLetter) {
                throw new UnsupportedOperationException("not in these tests");
              }
            },
            Instant.now());
    context.message(message);
    return context;
  }

  /** One message through the breaker's step, ending as the rest of the pipeline says. */
  ConsumeResult process(ConsumerStep.Chain rest) {
    return step.process(context(), rest);
  }

  /** One message given back because its handler's database is down. */
  void unavailable() {
    try {
      process(
          context -> {
            throw new DependencyUnavailableException(
                "m-1 could not be handled",
                new DataAccessResourceFailureException("database down"));
          });
    } catch (DependencyUnavailableException expected) {
      // as the transport would see it
    }
  }

  static ConsumerStep.Chain handled(AtomicInteger runs) {
    return context -> {
      runs.incrementAndGet();
      return ConsumeResult.HANDLED;
    };
  }

  SubscriptionBreaker breaker() {
    return breakers.of(queue);
  }

  double count(String meter, String... tags) {
    return meters.find(meter).tags(tags).counters().stream().mapToDouble(c -> c.count()).sum();
  }

  @Override
  public void close() {
    breakers.close();
  }

  /** Notes each pause and resume, and the thread it came on. */
  static final class RecordingIntake implements ConsumerIntake {

    final List<String> calls = new CopyOnWriteArrayList<>();
    final List<String> threads = new CopyOnWriteArrayList<>();
    private volatile boolean paused;

    @Override
    public void pause() {
      calls.add("pause");
      threads.add(Thread.currentThread().getName());
      paused = true;
    }

    @Override
    public void resume() {
      calls.add("resume");
      threads.add(Thread.currentThread().getName());
      paused = false;
    }

    @Override
    public boolean isPaused() {
      return paused;
    }
  }
}
