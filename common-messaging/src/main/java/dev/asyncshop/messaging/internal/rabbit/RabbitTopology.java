package dev.asyncshop.messaging.internal.rabbit;

/**
 * The names of what this library declares on RabbitMQ, chosen so that a broker user's permission
 * regexes can name each destination apart. What RabbitMQ 3.10 checks, as found on the broker:
 *
 * <ul>
 *   <li>{@code basic.publish} needs <em>write</em> on the exchange, never on the queue; the default
 *       exchange is the resource {@code amq.default}, so write there reaches every queue. Hence an
 *       exchange per queue, and no send through the default exchange.
 *   <li>{@code queue.declare} needs <em>configure</em> on the queue, and with {@code
 *       x-dead-letter-exchange} also <em>read</em> on the queue and <em>write</em> on that
 *       exchange. {@code exchange.declare} needs configure on the exchange. Passive declarations
 *       (the depth gauges) need nothing.
 *   <li>{@code queue.bind} needs <em>write</em> on the queue and <em>read</em> on the exchange.
 *   <li>{@code basic.consume} needs <em>read</em> on the queue. Consuming direct reply-to needs
 *       nothing, but answering it is a publish to the default exchange; binding to or from the
 *       default exchange is refused even to an administrator. Hence a reply exchange per asking
 *       service instead of direct reply-to.
 *   <li>The broker's own dead-lettering is not checked when it happens, only at the queue's
 *       declaration (above).
 * </ul>
 */
final class RabbitTopology {

  private RabbitTopology() {}

  /** The direct exchange senders publish to; it routes only to the queue, by its name. */
  static String exchange(String queue) {
    return queue + ".exchange";
  }

  /** Dead letters of the queue, from the broker and from the pipeline alike. */
  static String deadLetterQueue(String queue) {
    return queue + ".dlq";
  }

  /**
   * Messages refused for security (signature, encryption), kept apart from the failures an operator
   * fixes and replays; through the same dead-letter exchange, by this name as routing key.
   */
  static String securityDeadLetterQueue(String queue) {
    return queue + ".security.dlq";
  }

  /**
   * The queue's own dead-letter exchange: a shared one would let every consumer, which needs write
   * on it to declare its queue, write into every other service's dead letters too.
   */
  static String deadLetterExchange(String queue) {
    return queue + ".dlx";
  }

  /** The exchange that answerers publish replies to; only this service's reply queues are bound. */
  static String replyExchange(String destinationPrefix, String service) {
    return destinationPrefix + service + ".replies";
  }

  /** One instance's reply queue: exclusive to its connection, gone when the instance is. */
  static String replyQueue(String replyExchange, String instance) {
    return replyExchange + "." + instance;
  }
}
