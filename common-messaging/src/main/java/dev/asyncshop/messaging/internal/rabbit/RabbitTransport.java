package dev.asyncshop.messaging.internal.rabbit;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.ShutdownSignalException;
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
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.core.AmqpMessageReturnedException;
import org.springframework.amqp.core.AmqpReplyTimeoutException;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.core.ReturnedMessage;
import org.springframework.amqp.rabbit.RabbitMessageFuture;
import org.springframework.amqp.rabbit.connection.CorrelationData;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

/**
 * Commands go to a durable queue through the queue's own exchange (the routing key is the queue
 * name), persistent and mandatory; the send completes when the broker confirms it, and fails when
 * the broker returns it or has no such exchange, because nobody declared the queue. Queries go the
 * same way and carry the address of this instance's reply queue. Publishing to the queue's exchange
 * rather than to the default one lets a broker user be allowed exactly the queues it sends to (see
 * {@link RabbitTopology}).
 */
final class RabbitTransport implements RequestReplyTransport {

  private static final Logger log = LoggerFactory.getLogger(RabbitTransport.class);

  private final RabbitTemplate template;
  private final RabbitReplies replies;
  private final Duration confirmTimeout;

  RabbitTransport(RabbitTemplate template, RabbitReplies replies, Duration confirmTimeout) {
    this.template = template;
    this.replies = replies;
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
          RabbitTopology.exchange(queue),
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
                return refusal(envelope, queue, confirm.reason())
                    .<Void>thenApply(
                        refused -> {
                          throw refused;
                        });
              }
              return CompletableFuture.<Void>completedFuture(null);
            })
        .thenCompose(outcome -> outcome);
  }

  @Override
  public CompletableFuture<Reply> request(OutboundMessage query) {
    Envelope envelope = query.envelope();
    String queue = query.route().destination();
    Duration timeout = query.route().timeout();
    RabbitMessageFuture reply;
    try {
      reply =
          replies
              .template()
              .sendAndReceive(
                  RabbitTopology.exchange(queue),
                  queue,
                  AmqpEnvelopeHeaders.toMessage(envelope, query.data()));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(
          new MessagePublishException(describe(envelope, queue) + " failed: " + e, e));
    }
    // A refused query (no such exchange, no permission) fails now rather than at its timeout.
    if (reply.getConfirm() != null) {
      reply
          .getConfirm()
          .thenAccept(
              ack -> {
                if (!ack) {
                  refusal(envelope, queue, reply.getNackCause())
                      .thenAccept(reply::completeExceptionally);
                }
              });
    }
    return reply
        .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .handle(
            (message, failure) -> {
              if (failure != null) {
                reply.cancel(false);
                throw translate(unwrap(failure), envelope, queue, timeout);
              }
              return replyOf(message, query);
            });
  }

  /**
   * The reply in its envelope. A failure without one (from an answering service older than replies
   * in the envelope) still fails the query with the handler's reason. An answer without any
   * CloudEvents attribute is taken as it is, for the same answerers: they replied with the bare
   * body, and an asker upgraded before them must keep its queries working during a rolling upgrade.
   * An answer whose envelope is there but broken cannot be trusted to be the reply at all.
   */
  static Reply replyOf(Message reply, OutboundMessage query) {
    MessageProperties properties = reply.getMessageProperties();
    Envelope asked = query.envelope();
    String queue = query.route().destination();
    DeadLetterReason failure = AmqpEnvelopeHeaders.replyFailure(properties);
    if (failure == null && !AmqpEnvelopeHeaders.hasEnvelope(properties)) {
      log.debug(
          "The reply to {} {} from queue '{}' has no envelope, so its answerer is of the previous"
              + " version; taking its body as the answer",
          asked.type(),
          asked.id(),
          queue);
      return new Reply(bareReplyEnvelope(properties, query), reply.getBody(), null);
    }
    Envelope envelope;
    try {
      envelope = AmqpEnvelopeHeaders.read(properties);
    } catch (PoisonMessageException unreadable) {
      if (failure != null) {
        throw new QueryFailedException(
            "The handler of %s on queue '%s' failed: %s"
                .formatted(
                    asked.type(), queue, new String(reply.getBody(), StandardCharsets.UTF_8)));
      }
      throw new QueryFailedException(
          "The reply to %s %s from queue '%s' cannot be read: %s"
              .formatted(asked.type(), asked.id(), queue, unreadable.getMessage()));
    }
    return new Reply(envelope, reply.getBody(), failure);
  }

  /**
   * The envelope the answerer of the previous version did not send, made from the query as the
   * answerer's library would: the reply type, the query's flow, subject and partition key, and the
   * query as cause. The answerer is known only by the queue it took the query from, and started no
   * span of its own, so the reply stays in the query's.
   */
  private static Envelope bareReplyEnvelope(MessageProperties properties, OutboundMessage query) {
    Envelope asked = query.envelope();
    return new Envelope(
        properties.getMessageId() != null
            ? properties.getMessageId()
            : UUID.randomUUID().toString(),
        "rabbitmq:" + query.route().destination(),
        query.route().replyType(),
        Instant.now(),
        asked.subject(),
        properties.getContentType() != null ? properties.getContentType() : Envelope.JSON,
        asked.correlationId(),
        asked.id(),
        asked.traceparent(),
        asked.partitionKey());
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

  /**
   * Why the broker would not take a publish. Publishing to an exchange that does not exist closes
   * the channel with 404, which the client reports as a negative confirm: nobody declared the
   * queue. The broker's close reason can lose a race against the channel cache closing the same
   * channel, and the confirm then says only "Channel closed by application"; the broker is then
   * asked whether the exchange is there, off the connection's own thread, which must not wait on
   * the broker.
   */
  CompletableFuture<MessagePublishException> refusal(
      Envelope envelope, String queue, @Nullable String reason) {
    if (reason != null && reason.contains("reply-code=")) {
      return CompletableFuture.completedFuture(
          refused(envelope, queue, reason, reason.contains("reply-code=404")));
    }
    return CompletableFuture.supplyAsync(
        () -> refused(envelope, queue, reason, exchangeMissing(queue)));
  }

  private boolean exchangeMissing(String queue) {
    try {
      template.execute(channel -> channel.exchangeDeclarePassive(RabbitTopology.exchange(queue)));
      return false;
    } catch (AmqpException e) {
      for (Throwable cause = e; cause != null; cause = cause.getCause()) {
        if (cause instanceof ShutdownSignalException closed
            && closed.getReason() instanceof AMQP.Channel.Close close) {
          return close.getReplyCode() == AMQP.NOT_FOUND;
        }
      }
      return false;
    }
  }

  private static MessagePublishException refused(
      Envelope envelope, String queue, @Nullable String reason, boolean exchangeMissing) {
    if (exchangeMissing) {
      return new MessagePublishException(
          "%s was refused by RabbitMQ (404 NOT_FOUND): no queue named '%s' exists (nobody declared"
                  .formatted(describe(envelope, queue), queue)
              + " its exchange '%s')".formatted(RabbitTopology.exchange(queue)));
    }
    return new MessagePublishException(
        describe(envelope, queue) + " was refused by RabbitMQ: " + reason);
  }

  private static String describe(Envelope envelope, String queue) {
    return "Sending %s %s to queue '%s'".formatted(envelope.type(), envelope.id(), queue);
  }
}
