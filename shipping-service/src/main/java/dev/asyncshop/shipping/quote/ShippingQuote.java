package dev.asyncshop.shipping.quote;

import dev.asyncshop.messaging.MessageType;
import java.math.BigDecimal;

/** The answer to a {@link QuoteShipping}. */
@MessageType("shipping.quote.reply.v1")
record ShippingQuote(BigDecimal price, String currency, int etaDays) {}
