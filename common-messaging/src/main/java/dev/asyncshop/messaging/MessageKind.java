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
  BROADCAST
}
