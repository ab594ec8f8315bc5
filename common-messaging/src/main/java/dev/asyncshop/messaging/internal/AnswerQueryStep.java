package dev.asyncshop.messaging.internal;

import dev.asyncshop.messaging.Envelope;
import dev.asyncshop.messaging.MessageKind;
import dev.asyncshop.messaging.MessageOptions;
import dev.asyncshop.messaging.MessagingProperties.Route;
import dev.asyncshop.messaging.spi.ConsumeResult;
import dev.asyncshop.messaging.spi.ConsumerContext;
import dev.asyncshop.messaging.spi.ConsumerStep;
import dev.asyncshop.messaging.spi.ConsumerStepOrder;
import dev.asyncshop.messaging.spi.DeadLetter;
import dev.asyncshop.messaging.spi.EnvelopeFactory;
import dev.asyncshop.messaging.spi.InboundDelivery;
import dev.asyncshop.messaging.spi.OutboundMessage;
import dev.asyncshop.messaging.spi.Reply;
import dev.asyncshop.messaging.spi.Subscription;
import java.nio.charset.StandardCharsets;

/**
 * Answers whoever waits for a reply, once everything else is done: with the reply, or with the
 * failure that dead-lettered the query, so the asker learns it at once instead of at its timeout.
 * Outermost, so it sees dead letters, and before the transport acknowledges the query.
 */
final class AnswerQueryStep implements ConsumerStep {

  /**
   * The reply type of a query too broken to have a type of its own, or of a type this service does
   * not know: never one made from the message's type, so junk types do not multiply the meters and
   * audit records (as {@link DeadLetterStep} counts them {@code unknown}).
   */
  static final String UNREADABLE_QUERY_REPLY_TYPE = "messaging.unreadable-query.reply.v1";

  private final EnvelopeFactory envelopes;
  private final MessageDispatcher dispatcher;

  /**
   * @param dispatcher sends the reply through the publisher steps, so it is audited, counted (and
   *     whatever else the application's steps do) like any message this service sends
   */
  AnswerQueryStep(EnvelopeFactory envelopes, MessageDispatcher dispatcher) {
    this.envelopes = envelopes;
    this.dispatcher = dispatcher;
  }

  /**
   * @throws java.util.concurrent.CompletionException if the reply could not be sent
   */
  @Override
  public ConsumeResult process(ConsumerContext context, Chain next) {
    ConsumeResult result = next.proceed(context);
    InboundDelivery delivery = context.delivery();
    Route route = context.route();
    if (delivery.replyTo() == null || (route != null && route.kind() != MessageKind.QUERY)) {
      return result;
    }
    Reply reply =
        result instanceof ConsumeResult.DeadLettered deadLettered
            ? failure(context, deadLettered.deadLetter())
            : context.reply();
    if (reply != null) {
      OutboundMessage outbound =
          new OutboundMessage(replyRoute(context, reply), reply.envelope(), reply.data());
      dispatcher
          .dispatch(
              outbound,
              message ->
                  delivery.reply(new Reply(message.envelope(), message.data(), reply.failure())))
          .join();
    }
    return result;
  }

  /** The query's reply route; for a query of unknown type, one like it on this destination. */
  private static Route replyRoute(ConsumerContext context, Reply reply) {
    Route query = context.route();
    if (query != null) {
      return query.reply();
    }
    Subscription subscription = context.subscription();
    return new Route(
        reply.envelope().type(),
        MessageKind.REPLY,
        subscription.transport(),
        subscription.destination(),
        null,
        null);
  }

  private Reply failure(ConsumerContext context, DeadLetter deadLetter) {
    Envelope query = context.envelope();
    Route route = context.route();
    String replyType = route != null ? route.replyType() : UNREADABLE_QUERY_REPLY_TYPE;
    Envelope envelope =
        query != null
            ? envelopes.reply(query, replyType, DeadLetter.FAILURE_CONTENT_TYPE)
            : unreadableQueryReply();
    return new Reply(
        envelope, deadLetter.describe().getBytes(StandardCharsets.UTF_8), deadLetter.reason());
  }

  /** There is no query envelope to answer in: a new flow, with the failure as text. */
  private Envelope unreadableQueryReply() {
    Envelope envelope = envelopes.create(UNREADABLE_QUERY_REPLY_TYPE, MessageOptions.NONE);
    return withContentType(envelope, DeadLetter.FAILURE_CONTENT_TYPE);
  }

  private static Envelope withContentType(Envelope envelope, String contentType) {
    return new Envelope(
        envelope.id(),
        envelope.source(),
        envelope.type(),
        envelope.time(),
        envelope.subject(),
        contentType,
        envelope.correlationId(),
        envelope.causationId(),
        envelope.traceparent(),
        envelope.partitionKey());
  }

  @Override
  public int getOrder() {
    return ConsumerStepOrder.ANSWER_QUERY;
  }
}
