package dev.asyncshop.shipping.shipment.web;

import dev.asyncshop.shipping.shipment.Shipments;
import dev.asyncshop.shipping.shipment.UnknownShipmentException;
import dev.asyncshop.shipping.web.PlainText;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.constraints.Size;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/shipments")
class ShipmentController {

  private final Shipments shipments;

  ShipmentController(Shipments shipments) {
    this.shipments = shipments;
  }

  @GetMapping("/{orderId}")
  @Operation(summary = "The shipment of an order, with its tracking number")
  ShipmentView ofOrder(@PathVariable @Size(max = 64) @PlainText String orderId) {
    return shipments
        .find(orderId)
        .map(ShipmentView::of)
        .orElseThrow(() -> new UnknownShipmentException(orderId));
  }
}
