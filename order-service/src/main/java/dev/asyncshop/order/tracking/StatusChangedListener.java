package dev.asyncshop.order.tracking;

import dev.asyncshop.messaging.HandleMessage;
import dev.asyncshop.order.OrderMessages.OrderStatusChanged;
import org.springframework.stereotype.Component;

/** Hears every order's status changes, whichever instance made them. */
@Component
class StatusChangedListener {

  private final OrderStreams streams;

  StatusChangedListener(OrderStreams streams) {
    this.streams = streams;
  }

  @HandleMessage
  void on(OrderStatusChanged notice) {
    streams.changed(notice.orderId());
  }
}
