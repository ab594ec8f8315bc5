package dev.asyncshop.order;

import java.math.BigDecimal;

/** Shipping-service's answer to a {@link ShippingQuoteRequest}. */
record ShippingQuote(BigDecimal price, String currency, int etaDays) {}
