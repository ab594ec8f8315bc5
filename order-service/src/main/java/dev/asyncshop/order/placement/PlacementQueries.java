package dev.asyncshop.order.placement;

import dev.asyncshop.messaging.MessageType;
import java.math.BigDecimal;

/** The question placement asks shipping, and its answer. */
final class PlacementQueries {

  private PlacementQueries() {}

  @MessageType("shipping.quote.v1")
  record ShippingQuoteQuery(String country, BigDecimal weightKg) {}

  @MessageType("shipping.quote.reply.v1")
  record ShippingQuote(BigDecimal price, String currency, int etaDays) {}
}
