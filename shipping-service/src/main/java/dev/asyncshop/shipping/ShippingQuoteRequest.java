package dev.asyncshop.shipping;

import dev.asyncshop.messaging.MessageType;
import java.math.BigDecimal;

/** Asks what shipping a parcel would cost and how long it would take. */
@MessageType("shipping.quote.v1")
record ShippingQuoteRequest(BigDecimal weightKg) {}
