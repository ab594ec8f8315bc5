package dev.asyncshop.messaging;

/** What a message means to its receivers, which decides the transports it may travel on. */
public enum MessageKind {
  /** Something that happened; any number of consumer groups react, in order per key. */
  EVENT,
  /** Something to do; exactly one consumer takes it. */
  COMMAND,
  /** A question whose answer the sender waits for. */
  QUERY,
  /** A short-lived notice to every running instance; may be lost when nobody listens. */
  BROADCAST,
  /**
   * The answer to a query, on its way back to the asker. Replies have no route of their own: they
   * follow their query, and their type is the query's with {@code .reply} before the version (see
   * {@link MessagingProperties.Route#replyType()}).
   */
  REPLY
}
