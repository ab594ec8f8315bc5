package dev.asyncshop.messaging.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.asyncshop.messaging.Envelope;
import dev.asyncshop.messaging.MessagingProperties.Route;
import dev.asyncshop.messaging.Transport;
import dev.asyncshop.messaging.internal.PipelineFixtures.Next;
import dev.asyncshop.messaging.spi.CloudEventAttributes;
import dev.asyncshop.messaging.spi.ConsumeResult;
import dev.asyncshop.messaging.spi.ConsumerContext;
import dev.asyncshop.messaging.spi.Subscription;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class WatchKeyOrderStepTests {

  private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

  private final PipelineFixtures fixtures = new PipelineFixtures();
  private final WatchKeyOrderStep step = new WatchKeyOrderStep(fixtures.metrics, 3);

  @Test
  void messagesOfAKeyHandledInSequenceAreNoViolation() {
    handle(command("order-1", "1", 0));
    handle(command("order-1", "2", 0));
    handle(command("order-1", "3", 0));

    assertThat(violations()).isZero();
  }

  @Test
  void aMessageOlderThanOneHandledForItsKeyIsCountedWithItsSubscriptionsTags() {
    handle(command("order-1", "2", 0));
    handle(command("order-1", "1", 0));
    handle(command("order-1", "3", 0));

    assertThat(
            fixtures.count(
                MessagingMetrics.ORDERING_VIOLATIONS,
                "transport",
                "rabbitmq",
                "destination",
                PipelineFixtures.QUEUE,
                "type",
                PipelineFixtures.COMMAND.type(),
                "group",
                PipelineFixtures.SERVICE))
        .isEqualTo(1.0);
  }

  @Test
  void theSequenceDecidesWhenBothCarryOneWhateverTheirTimes() {
    handle(command("order-1", "0000000000000000009", 5));
    handle(command("order-1", "0000000000000000010", 1));

    assertThat(violations()).isZero();
  }

  @Test
  void withoutASequenceTheTimeDecides() {
    handle(command("order-1", null, 5));
    handle(command("order-1", null, 1));

    assertThat(violations()).isEqualTo(1.0);
  }

  @Test
  void aMessageIsComparedWithTheNewestOfItsKeyNotTheLast() {
    handle(command("order-1", "3", 0));
    handle(command("order-1", "1", 0));
    handle(command("order-1", "2", 0));

    assertThat(violations()).isEqualTo(2.0);
  }

  @Test
  void keysSourcesAndSubscriptionsKeepOrdersOfTheirOwn() {
    handle(command("order-1", "5", 0));
    handle(command("order-2", "1", 0));
    handle(withSource(command("order-1", "1", 0), "another-service"));
    ConsumerContext otherGroup =
        context(
            envelope("order-1", "1", 0),
            new Subscription(
                Transport.RABBITMQ, PipelineFixtures.QUEUE, "another-group", Map.of()));
    step.process(otherGroup, Next.returning(ConsumeResult.HANDLED));

    assertThat(violations()).isZero();
  }

  @Test
  void messagesWithoutAKeyAreNotWatched() {
    handle(command(null, "2", 0));
    handle(command(null, "1", 0));

    assertThat(violations()).isZero();
  }

  @Test
  void aQueryIsNotWatched() {
    ConsumerContext later = context(envelope("order-1", "2", 0), fixtures.subscription);
    later.route(PipelineFixtures.QUERY);
    ConsumerContext earlier = context(envelope("order-1", "1", 0), fixtures.subscription);
    earlier.route(PipelineFixtures.QUERY);

    step.process(later, Next.returning(ConsumeResult.HANDLED));
    step.process(earlier, Next.returning(ConsumeResult.HANDLED));

    assertThat(violations()).isZero();
  }

  @Test
  void onlyHandledMessagesCountAndAreRemembered() {
    step.process(command("order-1", "3", 0), Next.returning(ConsumeResult.DUPLICATE));
    step.process(command("order-1", "3", 0), Next.returning(ConsumeResult.IGNORED));
    assertThatThrownBy(
            () ->
                step.process(
                    command("order-1", "3", 0), Next.throwing(new IllegalStateException("down"))))
        .hasMessage("down");
    handle(command("order-1", "1", 0));

    assertThat(violations()).isZero();
    step.process(command("order-1", "0", 0), Next.returning(ConsumeResult.DUPLICATE));
    assertThat(violations()).isZero();
  }

  @Test
  void theLeastRecentlyHandledKeyIsForgottenBeyondTheBound() {
    handle(command("order-1", "5", 0));
    handle(command("order-2", "5", 0));
    handle(command("order-3", "5", 0));
    handle(command("order-4", "5", 0));

    handle(command("order-1", "1", 0));
    assertThat(violations()).isZero();
    handle(command("order-4", "1", 0));
    assertThat(violations()).isEqualTo(1.0);
  }

  @Test
  void numericSequencesCompareAsNumbersWhateverTheirPadding() {
    assertThat(WatchKeyOrderStep.compareSequences("9", "10")).isNegative();
    assertThat(WatchKeyOrderStep.compareSequences("0000000000000000009", "10")).isNegative();
    assertThat(WatchKeyOrderStep.compareSequences("010", "10")).isZero();
    assertThat(WatchKeyOrderStep.compareSequences("0", "000")).isZero();
    assertThat(WatchKeyOrderStep.compareSequences("b", "a10")).isPositive();
  }

  private void handle(ConsumerContext context) {
    assertThat(step.process(context, Next.returning(ConsumeResult.HANDLED)))
        .isSameAs(ConsumeResult.HANDLED);
  }

  private double violations() {
    return fixtures.count(MessagingMetrics.ORDERING_VIOLATIONS);
  }

  /** A handled command about the key, with the sequence and the time that many seconds on. */
  private ConsumerContext command(@Nullable String key, @Nullable String sequence, int seconds) {
    return context(envelope(key, sequence, seconds), fixtures.subscription);
  }

  private ConsumerContext withSource(ConsumerContext context, String source) {
    Envelope envelope = context.envelope();
    return context(
        new Envelope(
            envelope.id(),
            source,
            envelope.type(),
            envelope.time(),
            envelope.subject(),
            envelope.dataContentType(),
            envelope.correlationId(),
            envelope.causationId(),
            envelope.traceparent(),
            envelope.partitionKey(),
            envelope.extensions()),
        fixtures.subscription);
  }

  private static Envelope envelope(@Nullable String key, @Nullable String sequence, int seconds) {
    Envelope envelope =
        new Envelope(
            UUID.randomUUID().toString(),
            "/asyncshop/sender",
            PipelineFixtures.COMMAND.type(),
            T0.plusSeconds(seconds),
            key,
            Envelope.JSON,
            "flow-1",
            null,
            null,
            key);
    return sequence == null
        ? envelope
        : envelope.withExtension(CloudEventAttributes.SEQUENCE, sequence);
  }

  private ConsumerContext context(Envelope envelope, Subscription subscription) {
    ConsumerContext context =
        new ConsumerContext(
            subscription, FakeDelivery.of(envelope, "{\"text\":\"x\"}"), fixtures.clock.instant());
    context.message(context.delivery().decode());
    Route route = PipelineFixtures.COMMAND;
    context.route(route);
    return context;
  }
}
