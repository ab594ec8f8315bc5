package dev.asyncshop.messaging.spi;

import dev.asyncshop.messaging.Envelope;
import dev.asyncshop.messaging.MessagingProperties.Route;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One received message on its way through the consumer steps: what the steps found out so far, and
 * the attempts of its handler. One per message, used by one thread. Each value is set by the step
 * named on its accessor, so a step sees the values of the steps before it ({@link
 * ConsumerStepOrder}); a step may also replace one, as a decrypting step replaces the message.
 */
public final class ConsumerContext {

  private final Subscription subscription;
  private final InboundDelivery delivery;
  private final Instant received;
  private @Nullable DecodedMessage message;
  private @Nullable Route route;
  private @Nullable MessageHandler handler;
  private @Nullable Object payload;
  private @Nullable Object result;
  private @Nullable Reply reply;
  private int attempts;
  private @Nullable Instant firstFailure;
  private @Nullable Instant lastFailure;
  private @Nullable Throwable lastException;
  private boolean receiptUnaudited;

  /**
   * @param received when the transport handed the message over
   */
  public ConsumerContext(Subscription subscription, InboundDelivery delivery, Instant received) {
    this.subscription = subscription;
    this.delivery = delivery;
    this.received = received;
  }

  /** What the message was consumed for: transport, destination, consumer group, handlers. */
  public Subscription subscription() {
    return subscription;
  }

  /** The message as its transport has it. */
  public InboundDelivery delivery() {
    return delivery;
  }

  /** When the transport handed the message to the pipeline. */
  public Instant received() {
    return received;
  }

  /**
   * Whether the message's {@link dev.asyncshop.messaging.spi.AuditOutcome#RECEIVED} record is still
   * owed: the library's own mark, set by {@link ConsumerStepOrder#AUDIT_RECEIVED} and cleared by
   * the audit record that settles the receipt. An application's step leaves it alone.
   */
  public boolean receiptUnaudited() {
    return receiptUnaudited;
  }

  public void receiptUnaudited(boolean unaudited) {
    this.receiptUnaudited = unaudited;
  }

  /** The envelope and raw payload; set by {@link ConsumerStepOrder#DESERIALIZE}. */
  public @Nullable DecodedMessage message() {
    return message;
  }

  public void message(DecodedMessage message) {
    this.message = message;
  }

  /** The envelope of {@link #message()}, or {@code null} before it was read. */
  public @Nullable Envelope envelope() {
    return message == null ? null : message.envelope();
  }

  /** The route of the message's type; set by {@link ConsumerStepOrder#DESERIALIZE}. */
  public @Nullable Route route() {
    return route;
  }

  public void route(Route route) {
    this.route = route;
  }

  /** The handler of the message's type; set by {@link ConsumerStepOrder#FIND_HANDLER}. */
  public @Nullable MessageHandler handler() {
    return handler;
  }

  public void handler(MessageHandler handler) {
    this.handler = handler;
  }

  /** The message record; set by {@link ConsumerStepOrder#READ_PAYLOAD}. */
  public @Nullable Object payload() {
    return payload;
  }

  public void payload(Object payload) {
    this.payload = payload;
  }

  /** What a query handler returned; set by {@link ConsumerStepOrder#INVOKE_HANDLER}. */
  public @Nullable Object result() {
    return result;
  }

  public void result(@Nullable Object result) {
    this.result = result;
  }

  /** A query's reply; set by {@link ConsumerStepOrder#ENCODE_REPLY}. */
  public @Nullable Reply reply() {
    return reply;
  }

  public void reply(Reply reply) {
    this.reply = reply;
  }

  /** Handler runs started so far; kept by {@link ConsumerStepOrder#RETRY}. */
  public int attempts() {
    return attempts;
  }

  /** Counts a new handler run and returns its number, from 1. */
  public int attemptStarted() {
    return ++attempts;
  }

  /** Records that the current run failed. */
  public void attemptFailed(Throwable failure, Instant at) {
    if (firstFailure == null) {
      firstFailure = at;
    }
    lastFailure = at;
    lastException = failure;
  }

  /** When the first run failed, or {@code null} if none did. */
  public @Nullable Instant firstFailure() {
    return firstFailure;
  }

  /** When the last run failed, or {@code null} if none did. */
  public @Nullable Instant lastFailure() {
    return lastFailure;
  }

  /** Why the last run failed, or {@code null} if none did. */
  public @Nullable Throwable lastException() {
    return lastException;
  }
}
