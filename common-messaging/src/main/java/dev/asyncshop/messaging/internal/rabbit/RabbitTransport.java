package dev.asyncshop.messaging.internal.rabbit;

import dev.asyncshop.messaging.DeadLetterReason;
import dev.asyncshop.messaging.Envelope;
import dev.asyncshop.messaging.MessagePublishException;
import dev.asyncshop.messaging.QueryFailedException;
import dev.asyncshop.messaging.QueryTimeoutException;
import dev.asyncshop.messaging.Transport;
import dev.asyncshop.messaging.spi.OutboundMessage;
import dev.asyncshop.messaging.spi.PoisonMessageException;
import dev.asyncshop.messaging.spi.Reply;
import dev.asyncshop.messaging.spi.RequestReplyTransport;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.amqp.core.AmqpMessageReturnedException;
import org.springframework.amqp.core.AmqpReplyTimeoutException;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.core.ReturnedMessage;
import org.springframework.amqp.rabbit.AsyncRabbitTemplate;
import org.springframework.amqp.rabbit.RabbitMessageFuture;
import org.springframework.amqp.rabbit.connection.CorrelationData;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

/**
 * Commands go to a durable queue through the default exchange (the routing key is the queue name),
 * persistent and mandatory; the send completes when the broker confirms it, and fails when the
 * broker returns it because no such queue exists. Queries use direct reply-to.
 */
final class RabbitTransport implements RequestReplyTransport {

  private static final String DEFAULT_EXCHANGE = "";

  private final RabbitTemplate template;
  private final AsyncRabbitTemplate asyncTemplate;
  private final Duration confirmTimeout;

  RabbitTransport(
      RabbitTemplate template, AsyncRabbitTemplate asyncTemplate, Duration confirmTimeout) {
    this.template = template;
    this.asyncTemplate = asyncTemplate;
    this.confirmTimeout = confirmTimeout;
  }

  @Override
  public Transport transport() {
    return Transport.RABBITMQ;
  }

  @Override
  public CompletableFuture<Void> send(OutboundMessage message) {
    Envelope envelope = message.envelope();
    String queue = message.route().destination();
    CorrelationData correlation = new CorrelationData(envelope.id());
    try {
      template.send(
          DEFAULT_EXCHANGE,
          queue,
          AmqpEnvelopeHeaders.toMessage(envelope, message.data()),
          correlation);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(
          new MessagePublishException(describe(envelope, queue) + " failed: " + e, e));
    }
    return correlation
        .getFuture()
        .orTimeout(confirmTimeout.toMillis(), TimeUnit.MILLISECONDS)
        .handle(
            (confirm, failure) -> {
              if (failure != null) {
                throw new MessagePublishException(
                    describe(envelope, queue) + " was not confirmed within " + confirmTimeout,
                    failure);
              }
              ReturnedMessage returned = correlation.getReturned();
              if (returned != null) {
                throw new MessagePublishException(
                    "%s was returned by RabbitMQ (%d %s): no queue named '%s' exists"
                        .formatted(
                            describe(envelope, queue),
                            returned.getReplyCode(),
                            returned.getReplyText(),
                            queue));
              }
              if (!confirm.ack()) {
                throw new MessagePublishException(
                    describe(envelope, queue) + " was refused by RabbitMQ: " + confirm.reason());
              }
              return null;
            });
  }

  @Override
  public CompletableFuture<Reply> request(OutboundMessage query) {
    Envelope envelope = query.envelope();
    String queue = query.route().destination();
    Duration timeout = query.route().timeout();
    RabbitMessageFuture reply;
    try {
      reply =
          asyncTemplate.sendAndReceive(
              DEFAULT_EXCHANGE, queue, AmqpEnvelopeHeaders.toMessage(envelope, query.data()));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(
          new MessagePublishException(describe(envelope, queue) + " failed: " + e, e));
    }
    return reply
        .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .handle(
            (message, failure) -> {
              if (failure != null) {
                reply.cancel(false);
                throw translate(unwrap(failure), envelope, queue, timeout);
              }
              return replyOf(message, envelope, queue);
            });
  }

  /**
   * The reply in its envelope. A failure without one (from an answering service older than replies
   * in the envelope) still fails the query with the handler's reason; an answer without one cannot
   * be trusted to be the reply at all.
   */
  private static Reply replyOf(Message reply, Envelope query, String queue) {
    MessageProperties properties = reply.getMessageProperties();
    DeadLetterReason failure = AmqpEnvelopeHeaders.replyFailure(properties);
    Envelope envelope;
    try {
      envelope = AmqpEnvelopeHeaders.read(properties);
    } catch (PoisonMessageException unreadable) {
      if (failure != null) {
        throw new QueryFailedException(
            "The handler of %s on queue '%s' failed: %s"
                .formatted(
                    query.type(), queue, new String(reply.getBody(), StandardCharsets.UTF_8)));
      }
      throw new QueryFailedException(
          "The reply to %s %s from queue '%s' cannot be read: %s"
              .formatted(query.type(), query.id(), queue, unreadable.getMessage()));
    }
    return new Reply(envelope, reply.getBody(), failure);
  }

  private static RuntimeException translate(
      Throwable failure, Envelope envelope, String queue, Duration timeout) {
    if (failure instanceof TimeoutException || failure instanceof AmqpReplyTimeoutException) {
      return new QueryTimeoutException(
          "No reply to %s %s from queue '%s' within %d ms"
              .formatted(envelope.type(), envelope.id(), queue, timeout.toMillis()));
    }
    if (failure instanceof AmqpMessageReturnedException returned) {
      return new MessagePublishException(
          "%s was returned by RabbitMQ (%d %s): no queue named '%s' exists"
              .formatted(
                  describe(envelope, queue),
                  returned.getReplyCode(),
                  returned.getReplyText(),
                  queue));
    }
    if (failure instanceof RuntimeException runtime) {
      return runtime;
    }
    return new MessagePublishException(describe(envelope, queue) + " failed: " + failure, failure);
  }

  private static Throwable unwrap(Throwable failure) {
    Throwable current = failure;
    while ((current instanceof CompletionException || current instanceof ExecutionException)
        && current.getCause() != null) {
      current = current.getCause();
    }
    return current;
  }

  private static String describe(Envelope envelope, String queue) {
    return "Sending %s %s to queue '%s'".formatted(envelope.type(), envelope.id(), queue);
  }
}
