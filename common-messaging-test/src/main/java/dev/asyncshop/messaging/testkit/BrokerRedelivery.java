package dev.asyncshop.messaging.testkit;

import dev.asyncshop.messaging.spi.OutboundMessage;
import dev.asyncshop.messaging.spi.PublisherStep;
import java.util.concurrent.CompletableFuture;

/**
 * For tests against the real brokers: acts out a broker delivering one message twice. Declared as a
 * bean, it is the last publisher step, so it sees the message as the transport sends it (encrypted
 * and signed, if the route is); a send made inside {@link #twice} goes to the broker twice, with
 * the same envelope, id included, and the same payload, and every consumer receives both copies.
 *
 * <pre>{@code
 * @Import(BrokerRedelivery.class)
 * class PaymentServiceIntegrationTests {
 *   @Autowired BrokerRedelivery redelivery;
 *
 *   void aRedeliveredRefundRefundsOnce() {
 *     redelivery.twice(() -> gateway.send(new RefundPayment(order, "order cancelled")));
 *     ...
 * }</pre>
 */
public final class BrokerRedelivery implements PublisherStep {

  private final ThreadLocal<Boolean> doubling = ThreadLocal.withInitial(() -> false);

  /** Runs the sends, each of whose messages the broker then holds twice. */
  public void twice(Runnable sends) {
    doubling.set(true);
    try {
      sends.run();
    } finally {
      doubling.remove();
    }
  }

  @Override
  public CompletableFuture<Void> publish(OutboundMessage message, Chain next) {
    if (!doubling.get()) {
      return next.publish(message);
    }
    // Both from this thread, one after the other, so the copies keep their order on the broker.
    CompletableFuture<Void> first = next.publish(message);
    CompletableFuture<Void> second = next.publish(message);
    return CompletableFuture.allOf(first, second);
  }

  @Override
  public int getOrder() {
    return LOWEST_PRECEDENCE;
  }
}
