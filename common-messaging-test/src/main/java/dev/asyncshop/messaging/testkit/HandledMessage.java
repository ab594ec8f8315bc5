package dev.asyncshop.messaging.testkit;

import dev.asyncshop.messaging.Envelope;

/**
 * A message a handler of the service ran for, or one its consumer group skipped as a duplicate.
 *
 * @param envelope its envelope
 * @param data its payload
 * @param destination where it was taken from
 * @param group the consumer group that took it
 * @param attempts handler runs, retries included; 0 for a skipped duplicate
 */
public record HandledMessage(
    Envelope envelope, byte[] data, String destination, String group, int attempts) {

  /** The runs after the first. */
  public int retries() {
    return Math.max(0, attempts - 1);
  }
}
