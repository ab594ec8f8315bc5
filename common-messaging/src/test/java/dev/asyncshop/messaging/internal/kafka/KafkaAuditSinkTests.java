package dev.asyncshop.messaging.internal.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.asyncshop.messaging.internal.MessagingMetrics;
import dev.asyncshop.messaging.spi.AuditOutcome;
import dev.asyncshop.messaging.spi.AuditRecord;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.mock.MockProducerFactory;
import tools.jackson.databind.json.JsonMapper;

/** The sink's chain bookkeeping, against Kafka's own in-memory producer. */
class KafkaAuditSinkTests {

  /** A producer whose sends complete only when told, even on a flush, and that stays open. */
  private static final class HeldProducer extends MockProducer<String, byte[]> {
    HeldProducer() {
      super(false, null, new StringSerializer(), new ByteArraySerializer());
    }

    @Override
    public synchronized void flush() {}

    /** The template closes its producer after each send; this one lives as a real one would. */
    @Override
    public void close(Duration timeout) {}
  }

  @Test
  void aFailureOfThePreviousChainArrivingAfterARestartIsNotDeclaredInTheNewOne() {
    HeldProducer producer = new HeldProducer();
    KafkaTemplate<String, byte[]> template =
        new KafkaTemplate<>(new MockProducerFactory<>(() -> producer));
    KafkaAuditSink sink =
        new KafkaAuditSink(
            template,
            "audit",
            JsonMapper.builder().build(),
            new MessagingMetrics(new SimpleMeterRegistry()),
            "svc",
            "host-1",
            Clock.fixed(Instant.parse("2026-12-03T10:00:00Z"), ZoneOffset.UTC));

    sink.start();
    sink.write(record("first-run"));
    await().atMost(5, TimeUnit.SECONDS).until(() -> producer.history().size() == 1);
    sink.stop();
    sink.start();
    // The first run's record fails only now, after the restart.
    producer.errorNext(new TimeoutException("expired"));
    sink.write(record("second-run"));
    await().atMost(5, TimeUnit.SECONDS).until(() -> producer.history().size() >= 3);

    assertThat(sink.chainId()).isNotNull();
    assertThat(producer.history())
        .map(r -> new String(r.value(), StandardCharsets.UTF_8))
        .noneMatch(value -> value.contains("\"CHAIN_GAP\""));
    sink.stop();
  }

  private static AuditRecord record(String id) {
    return new AuditRecord(
        id,
        null,
        null,
        "kafka",
        "orders",
        id,
        "svc",
        AuditOutcome.PUBLISHED,
        1,
        Duration.ZERO,
        Instant.parse("2026-12-03T10:00:00Z"),
        null);
  }
}
