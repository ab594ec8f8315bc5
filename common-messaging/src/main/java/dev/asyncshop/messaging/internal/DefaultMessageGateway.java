package dev.asyncshop.messaging.internal;

import dev.asyncshop.messaging.Envelope;
import dev.asyncshop.messaging.MessageGateway;
import dev.asyncshop.messaging.MessageKind;
import dev.asyncshop.messaging.MessageOptions;
import dev.asyncshop.messaging.MessagePublishException;
import dev.asyncshop.messaging.QueryFailedException;
import dev.asyncshop.messaging.spi.OutboundMessage;
import dev.asyncshop.messaging.spi.PayloadCodec;
import dev.asyncshop.messaging.spi.Reply;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Resolves the route of each message, fills in its envelope and dispatches it, tracked. */
final class DefaultMessageGateway implements MessageGateway {

  private static final Logger log = LoggerFactory.getLogger(DefaultMessageGateway.class);

  private final OutboundMessages messages;
  private final MessageDispatcher dispatcher;
  private final PayloadCodec codec;

  DefaultMessageGateway(
      OutboundMessages messages, MessageDispatcher dispatcher, PayloadCodec codec) {
    this.messages = messages;
    this.dispatcher = dispatcher;
    this.codec = codec;
  }

  @Override
  public void publish(Object event, MessageOptions options) {
    await(dispatcher.dispatch(messages.prepare(event, options, MessageKind.EVENT)));
  }

  @Override
  public void send(Object command, MessageOptions options) {
    await(dispatcher.dispatch(messages.prepare(command, options, MessageKind.COMMAND)));
  }

  @Override
  public void broadcast(Object notice, MessageOptions options) {
    await(dispatcher.dispatch(messages.prepare(notice, options, MessageKind.BROADCAST)));
  }

  @Override
  public CompletableFuture<Void> fireAndForget(Object message, MessageOptions options) {
    OutboundMessage outbound = messages.prepare(message, options, null);
    if (outbound.route().kind() == MessageKind.QUERY) {
      throw new IllegalArgumentException(
          "A query waits for its reply; use ask() for " + outbound.route().type());
    }
    return dispatcher
        .dispatch(outbound)
        .whenComplete(
            (ok, failure) -> {
              if (failure != null) {
                Envelope envelope = outbound.envelope();
                log.warn(
                    "Fire-and-forget {} {} was not taken by the broker: {}",
                    envelope.type(),
                    envelope.id(),
                    MessageDispatcher.unwrap(failure).toString());
              }
            });
  }

  @Override
  public <R> CompletableFuture<R> ask(Object query, Class<R> replyType, MessageOptions options) {
    OutboundMessage outbound = messages.prepare(query, options, MessageKind.QUERY);
    return dispatcher
        .request(outbound)
        .thenApply(reply -> codec.read(answerOf(outbound, reply), replyType));
  }

  private static byte[] answerOf(OutboundMessage query, Reply reply) {
    if (reply.failed()) {
      throw new QueryFailedException(
          "The handler of %s on queue '%s' failed: %s"
              .formatted(
                  query.envelope().type(),
                  query.route().destination(),
                  new String(reply.data(), StandardCharsets.UTF_8)));
    }
    return reply.data();
  }

  private static void await(CompletableFuture<Void> sent) {
    try {
      sent.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MessagePublishException("Interrupted while waiting for the broker", e);
    } catch (ExecutionException e) {
      Throwable cause = MessageDispatcher.unwrap(e);
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new MessagePublishException(String.valueOf(cause.getMessage()), cause);
    }
  }
}
