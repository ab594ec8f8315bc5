package dev.asyncshop.shipping.quote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.asyncshop.messaging.DeadLetterReason;
import dev.asyncshop.messaging.QueryFailedException;
import dev.asyncshop.messaging.testkit.DeadLetteredMessage;
import dev.asyncshop.messaging.testkit.MessagingTest;
import dev.asyncshop.messaging.testkit.MessagingTestKit;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;

/** The quote query over the in-memory transports, answered from the real tariff. */
@MessagingTest(ShippingQuotes.class)
@Import(Tariff.class)
class QuoteHandlerTests {

  @Autowired MessagingTestKit messaging;

  @Test
  void aQuoteIsAnsweredFromTheTariff() {
    ShippingQuote quote =
        messaging.ask(new QuoteShipping("de", new BigDecimal("2.5")), ShippingQuote.class);

    assertThat(quote).isEqualTo(new ShippingQuote(new BigDecimal("7.90"), "EUR", 2));
    assertThat(messaging.answeredQueries())
        .singleElement()
        .satisfies(
            answered -> {
              assertThat(answered.reply().failed()).isFalse();
              assertThat(answered.reply().envelope().type()).isEqualTo("shipping.quote.reply.v1");
              assertThat(answered.reply().envelope().causationId())
                  .isEqualTo(answered.query().envelope().id());
            });
  }

  @Test
  void aQuoteForACountryThatIsNoCodeFailsTheAskerAtOnce() {
    assertThatThrownBy(
            () ->
                messaging.ask(
                    new QuoteShipping("Germany", new BigDecimal("1")), ShippingQuote.class))
        .isInstanceOf(QueryFailedException.class)
        .hasMessageContaining("Not an ISO 3166-1 alpha-2 country code: Germany");

    assertThat(messaging.deadLettered(QuoteShipping.class))
        .singleElement()
        .extracting(DeadLetteredMessage::reason, DeadLetteredMessage::attempts)
        .containsExactly(DeadLetterReason.NON_RETRYABLE, 1);
  }

  @Test
  void aQuoteWithoutAWeightFailsTheAsker() {
    assertThatThrownBy(() -> messaging.ask(new QuoteShipping("DE", null), ShippingQuote.class))
        .isInstanceOf(QueryFailedException.class)
        .hasMessageContaining("A quote needs a country and a weight");
    assertThat(messaging.retries(QuoteShipping.class)).isZero();
  }

  @Test
  void aQuoteForNothingFailsTheAsker() {
    assertThatThrownBy(
            () -> messaging.ask(new QuoteShipping("DE", BigDecimal.ZERO), ShippingQuote.class))
        .isInstanceOf(QueryFailedException.class)
        .hasMessageContaining("A parcel weighs more than nothing");
  }
}
