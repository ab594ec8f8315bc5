package dev.asyncshop.shipping.quote;

import dev.asyncshop.messaging.HandleMessage;
import dev.asyncshop.messaging.NonRetryableMessageException;
import org.springframework.stereotype.Component;

/** Answers quote queries from the {@link Tariff}. */
@Component
class ShippingQuotes {

  private final Tariff tariff;

  ShippingQuotes(Tariff tariff) {
    this.tariff = tariff;
  }

  @HandleMessage
  ShippingQuote quote(QuoteShipping query) {
    if (query.country() == null || query.weightKg() == null) {
      throw new NonRetryableMessageException("A quote needs a country and a weight: " + query);
    }
    try {
      Rate rate = tariff.rateFor(query.country(), query.weightKg());
      return new ShippingQuote(rate.price(), rate.currency(), rate.etaDays());
    } catch (IllegalArgumentException e) {
      // Asking again gives the same answer: the asker hears at once rather than after retries.
      throw new NonRetryableMessageException(e.getMessage(), e);
    }
  }
}
