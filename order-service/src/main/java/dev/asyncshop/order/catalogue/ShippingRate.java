package dev.asyncshop.order.catalogue;

import java.math.BigDecimal;

/** What shipping a parcel costs by the published tariff. */
public record ShippingRate(BigDecimal price, String currency, int etaDays) {}
