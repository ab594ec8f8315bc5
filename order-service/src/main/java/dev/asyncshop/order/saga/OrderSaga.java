package dev.asyncshop.order.saga;

import dev.asyncshop.order.Order;
import dev.asyncshop.order.Orders;
import dev.asyncshop.order.SagaCommand;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Applies one step to one order in the caller's transaction: lock the order's row, let the {@link
 * Order} decide, store the result and its messages. The order's rules live in {@link Order}; this
 * only loads and stores.
 */
@Service
class OrderSaga {

  private static final Logger log = LoggerFactory.getLogger(OrderSaga.class);

  private final Orders orders;

  OrderSaga(Orders orders) {
    this.orders = orders;
  }

  /**
   * @param answer what arrived, for the log
   */
  void advance(UUID orderId, String answer, Function<Order, List<SagaCommand>> step) {
    Order order = orders.lock(orderId).orElse(null);
    if (order == null) {
      // Not ours (another environment sharing the topic) or long deleted: nothing to change, and
      // retrying cannot make it known.
      log.warn("{} for unknown order {}; ignored", answer, orderId);
      return;
    }
    List<SagaCommand> messages = step.apply(order);
    if (order.isUnchanged()) {
      log.info("{} does not fit order {} in status {}; ignored", answer, orderId, order.status());
      return;
    }
    orders.save(order, messages);
    log.debug("{} moved order {} to {}", answer, orderId, order.status());
  }
}
