package dev.asyncshop.messaging;

import java.util.concurrent.CompletableFuture;

/**
 * The one way services send messages. Callers name the message; its route under {@code
 * messaging.routes} decides the transport and destination. Every send is confirmed by the broker,
 * counted and audited; a send that the broker does not take is an exception for the caller.
 */
public interface MessageGateway {

  /**
   * Publishes an event and returns once the broker has it ({@code acks=all} on Kafka).
   *
   * @throws MessagePublishException if the broker did not take it
   */
  default void publish(Object event) {
    publish(event, MessageOptions.NONE);
  }

  /** Publishes an event with the given options; see {@link #publish(Object)}. */
  void publish(Object event, MessageOptions options);

  /**
   * Sends a command to the one queue that handles it and returns once the broker confirmed it.
   *
   * @throws MessagePublishException if the queue does not exist or the broker refused the message
   */
  default void send(Object command) {
    send(command, MessageOptions.NONE);
  }

  /** Sends a command with the given options; see {@link #send(Object)}. */
  void send(Object command, MessageOptions options);

  /**
   * Asks a query. The future completes with the reply, or exceptionally with {@link
   * QueryTimeoutException} when no reply came within the route's timeout, {@link
   * QueryFailedException} when the handler failed, or {@link MessagePublishException} when the
   * query could not be delivered.
   */
  default <R> CompletableFuture<R> ask(Object query, Class<R> replyType) {
    return ask(query, replyType, MessageOptions.NONE);
  }

  /** Asks a query with the given options; see {@link #ask(Object, Class)}. */
  <R> CompletableFuture<R> ask(Object query, Class<R> replyType, MessageOptions options);

  /**
   * Broadcasts a short-lived notice to every running instance that listens. Delivery is at most
   * once: instances not listening at that moment never see it.
   */
  default void broadcast(Object notice) {
    broadcast(notice, MessageOptions.NONE);
  }

  /** Broadcasts with the given options; see {@link #broadcast(Object)}. */
  void broadcast(Object notice, MessageOptions options);

  /**
   * Sends an event, command or broadcast without waiting for the broker. The send is still tracked:
   * its outcome is counted and audited when the broker answers, and a failure is logged.
   *
   * @return completes when the broker answered, for callers that want to observe it after all
   */
  default CompletableFuture<Void> fireAndForget(Object message) {
    return fireAndForget(message, MessageOptions.NONE);
  }

  /** Fire-and-forget with the given options; see {@link #fireAndForget(Object)}. */
  CompletableFuture<Void> fireAndForget(Object message, MessageOptions options);
}
