package dev.asyncshop.inventory;

import dev.asyncshop.messaging.HandleMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/** Takes reservation commands; stock is not tracked yet, so a reservation is only logged. */
@Component
class InventoryReservations {

  private static final Logger log = LoggerFactory.getLogger(InventoryReservations.class);

  @HandleMessage
  void reserve(ReserveInventory command) {
    log.info(
        "Reserve {} line(s) for order {}: not applied, stock is not tracked yet",
        command.lines().size(),
        command.orderId());
  }
}
