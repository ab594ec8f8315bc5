package dev.asyncshop.shipping.quote;

import java.math.BigDecimal;

/** What shipping one parcel costs and how many days it takes. */
public record Rate(Zone zone, BigDecimal price, String currency, int etaDays) {}
