package dev.asyncshop.shipping;

import java.math.BigDecimal;

/** The answer to a {@link ShippingQuoteRequest}. */
record ShippingQuote(BigDecimal price, String currency, int etaDays) {}
