package dev.asyncshop.messaging.internal;

import dev.asyncshop.messaging.DeadLetterReason;
import dev.asyncshop.messaging.Envelope;
import dev.asyncshop.messaging.MessageKind;
import dev.asyncshop.messaging.MessagingProperties.Route;
import dev.asyncshop.messaging.spi.ConsumeResult;
import dev.asyncshop.messaging.spi.ConsumerContext;
import dev.asyncshop.messaging.spi.ConsumerStep;
import dev.asyncshop.messaging.spi.ConsumerStepOrder;
import dev.asyncshop.messaging.spi.EnvelopeFactory;
import dev.asyncshop.messaging.spi.PayloadCodec;
import dev.asyncshop.messaging.spi.RejectedMessageException;
import dev.asyncshop.messaging.spi.Reply;
import java.nio.charset.StandardCharsets;

/**
 * Turns a query handler's result into the reply, in an envelope of its own. Outside the retries:
 * running the handler again would give the same result, so a result that cannot be written fails
 * the query at once.
 */
final class EncodeReplyStep implements ConsumerStep {

  /** What a query handler that returned nothing answers. */
  private static final byte[] NULL = "null".getBytes(StandardCharsets.UTF_8);

  private final PayloadCodec codec;
  private final EnvelopeFactory envelopes;

  EncodeReplyStep(PayloadCodec codec, EnvelopeFactory envelopes) {
    this.codec = codec;
    this.envelopes = envelopes;
  }

  @Override
  public ConsumeResult process(ConsumerContext context, Chain next) {
    ConsumeResult result = next.proceed(context);
    Route route = Steps.route(context);
    if (route.kind() != MessageKind.QUERY || !(result instanceof ConsumeResult.Handled)) {
      return result;
    }
    Object answer = context.result();
    byte[] data;
    try {
      data = answer == null ? NULL : codec.write(answer);
    } catch (RuntimeException e) {
      throw new RejectedMessageException(
          DeadLetterReason.NON_RETRYABLE,
          new IllegalStateException(
              "Reply of " + Steps.handler(context) + " cannot be written as JSON", e));
    }
    Envelope query = Steps.envelope(context);
    context.reply(new Reply(envelopes.reply(query, route.replyType(), Envelope.JSON), data, null));
    return result;
  }

  @Override
  public int getOrder() {
    return ConsumerStepOrder.ENCODE_REPLY;
  }
}
