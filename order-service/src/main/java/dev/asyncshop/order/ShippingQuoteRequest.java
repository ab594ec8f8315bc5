package dev.asyncshop.order;

import dev.asyncshop.messaging.MessageType;
import java.math.BigDecimal;

/** Asks shipping-service what a parcel of this weight costs to ship. */
@MessageType("shipping.quote.v1")
record ShippingQuoteRequest(BigDecimal weightKg) {}
