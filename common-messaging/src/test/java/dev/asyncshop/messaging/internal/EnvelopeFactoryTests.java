package dev.asyncshop.messaging.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.asyncshop.messaging.Envelope;
import dev.asyncshop.messaging.MessageOptions;
import dev.asyncshop.messaging.spi.CloudEventAttributes;
import dev.asyncshop.messaging.spi.CurrentMessage;
import dev.asyncshop.messaging.spi.EnvelopeFactory;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class EnvelopeFactoryTests {

  private final Clock clock = Clock.fixed(Instant.parse("2026-11-29T10:00:00Z"), ZoneOffset.UTC);
  private final AtomicReference<@Nullable String> caller = new AtomicReference<>();
  private final EnvelopeFactory factory =
      new DefaultEnvelopeFactory("order-service", clock, caller::get);

  @Test
  void newMessageStartsItsOwnFlowAndTrace() {
    Envelope envelope = factory.create("order.placed.v1", MessageOptions.about("order-1"));

    assertThat(envelope.source()).isEqualTo("/asyncshop/order-service");
    assertThat(envelope.time()).isEqualTo(clock.instant());
    assertThat(envelope.correlationId()).isEqualTo(envelope.id());
    assertThat(envelope.causationId()).isNull();
    assertThat(envelope.subject()).isEqualTo("order-1");
    assertThat(envelope.partitionKey()).isEqualTo("order-1");
    assertThat(envelope.traceparent()).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01");
    assertThat(envelope.extensions()).isEmpty();
  }

  @Test
  void messageSentWhileHandlingAnotherJoinsItsFlowAndTrace() {
    Envelope cause = factory.create("order.placed.v1", MessageOptions.NONE.correlatedWith("flow"));

    Envelope effect =
        CurrentMessage.runWith(
            cause, () -> factory.create("inventory.reserve.v1", MessageOptions.NONE));

    assertThat(effect.correlationId()).isEqualTo("flow");
    assertThat(effect.causationId()).isEqualTo(cause.id());
    assertThat(effect.traceparent().substring(0, 36))
        .isEqualTo(cause.traceparent().substring(0, 36));
    assertThat(effect.traceparent()).isNotEqualTo(cause.traceparent());
    assertThat(CurrentMessage.get()).isNull();
  }

  @Test
  void messageSentForACallerNamesThem() {
    caller.set("alice");

    Envelope envelope = factory.create("order.placed.v1", MessageOptions.NONE);

    assertThat(envelope.extension(CloudEventAttributes.PRINCIPAL)).isEqualTo("alice");
  }

  @Test
  void messageSentWhileHandlingAnotherKeepsItsPrincipalWhoeverIsOnTheThread() {
    caller.set("alice");
    Envelope cause = factory.create("order.placed.v1", MessageOptions.NONE);
    caller.set("mallory");

    Envelope effect =
        CurrentMessage.runWith(
            cause, () -> factory.create("inventory.reserve.v1", MessageOptions.NONE));

    assertThat(effect.extension(CloudEventAttributes.PRINCIPAL)).isEqualTo("alice");
  }

  @Test
  void messageCausedByOneOnNoOnesBehalfIsOnNoOnesBehalf() {
    Envelope cause = factory.create("order.timed-out.v1", MessageOptions.NONE);
    caller.set("mallory");

    Envelope effect =
        CurrentMessage.runWith(
            cause, () -> factory.create("inventory.release.v1", MessageOptions.NONE));

    assertThat(effect.extension(CloudEventAttributes.PRINCIPAL)).isNull();
  }

  @Test
  void replyNamesTheQuerysPrincipal() {
    caller.set("bob");
    Envelope query = factory.create("shipping.quote.v1", MessageOptions.NONE);
    caller.set(null);

    Envelope reply = factory.reply(query, "shipping.quote.reply.v1", Envelope.JSON);

    assertThat(reply.extension(CloudEventAttributes.PRINCIPAL)).isEqualTo("bob");
  }
}
