package dev.asyncshop.shipping;

import dev.asyncshop.messaging.HandleMessage;
import java.math.BigDecimal;
import java.math.RoundingMode;
import org.springframework.stereotype.Component;

/**
 * Answers quote queries with a flat tariff by weight, so callers can rely on the query before
 * carrier rates exist.
 */
@Component
class ShippingQuotes {

  private static final String CURRENCY = "EUR";
  private static final BigDecimal BASE_PRICE = new BigDecimal("4.90");
  private static final BigDecimal PRICE_PER_KG = new BigDecimal("1.20");

  /** Parcels above this weight go by freight, which takes longer. */
  private static final BigDecimal PARCEL_LIMIT_KG = new BigDecimal("20");

  @HandleMessage
  ShippingQuote quote(ShippingQuoteRequest request) {
    BigDecimal price =
        BASE_PRICE.add(PRICE_PER_KG.multiply(request.weightKg())).setScale(2, RoundingMode.HALF_UP);
    int etaDays = request.weightKg().compareTo(PARCEL_LIMIT_KG) > 0 ? 5 : 2;
    return new ShippingQuote(price, CURRENCY, etaDays);
  }
}
