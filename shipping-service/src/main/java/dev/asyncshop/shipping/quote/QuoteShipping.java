package dev.asyncshop.shipping.quote;

import dev.asyncshop.messaging.MessageType;
import java.math.BigDecimal;
import org.jspecify.annotations.Nullable;

/** Asks what shipping a parcel to a country would cost and how long it would take. */
@MessageType("shipping.quote.v1")
record QuoteShipping(@Nullable String country, @Nullable BigDecimal weightKg) {}
