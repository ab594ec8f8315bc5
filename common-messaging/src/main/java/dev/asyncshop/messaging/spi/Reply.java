package dev.asyncshop.messaging.spi;

import dev.asyncshop.messaging.DeadLetterReason;
import dev.asyncshop.messaging.Envelope;
import org.jspecify.annotations.Nullable;

/**
 * A query's answer, as the answering side hands it to its {@link InboundDelivery} and the asking
 * side's {@link RequestReplyTransport} gets it back. It has an envelope of its own, whose type is
 * the query's with {@code .reply} before the version and whose cause is the query.
 *
 * @param envelope the reply's envelope
 * @param data the reply's payload; the failure's description when the query failed
 * @param failure why the query failed (the handler's failure, or a query that could not be read);
 *     {@code null} when it was answered
 */
public record Reply(Envelope envelope, byte[] data, @Nullable DeadLetterReason failure) {

  /** Whether the query failed instead of being answered. */
  public boolean failed() {
    return failure != null;
  }
}
