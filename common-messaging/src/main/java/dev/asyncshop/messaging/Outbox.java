package dev.asyncshop.messaging;

/**
 * Sends that commit with the caller's database transaction. The message is written to the outbox
 * table in the caller's transaction; a relay sends it once the transaction committed, retrying with
 * backoff until the broker takes it. A crash between the state change and the send therefore loses
 * nothing, and a rolled-back change sends nothing. Messages with the same partition key leave in
 * the order they were written, also from several instances; one the broker refuses holds up the
 * later messages of its key until it is sent, and those of no other key.
 *
 * <p>Enabled with {@code messaging.outbox.enabled=true}; needs a DataSource and the tables in
 * {@code classpath:db/messaging}.
 */
public interface Outbox {

  /**
   * Records an event to publish after commit.
   *
   * @throws IllegalStateException if no transaction is active
   */
  void publish(Object event, MessageOptions options);

  /**
   * Records a command to send after commit.
   *
   * @throws IllegalStateException if no transaction is active
   */
  void send(Object command, MessageOptions options);
}
