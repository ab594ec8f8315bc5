package dev.asyncshop.shipping.quote;

import java.math.BigDecimal;

/** The answer to a {@link QuoteShipping}. */
record ShippingQuote(BigDecimal price, String currency, int etaDays) {}
