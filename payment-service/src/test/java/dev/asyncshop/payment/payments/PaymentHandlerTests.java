package dev.asyncshop.payment.payments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.then;
import static org.mockito.Mockito.never;

import dev.asyncshop.messaging.DeadLetterReason;
import dev.asyncshop.messaging.spi.DependencyUnavailableException;
import dev.asyncshop.messaging.testkit.DeadLetteredMessage;
import dev.asyncshop.messaging.testkit.InMemoryMessage;
import dev.asyncshop.messaging.testkit.MessagingTest;
import dev.asyncshop.messaging.testkit.MessagingTestKit;
import dev.asyncshop.payment.gateway.CardCharge;
import dev.asyncshop.payment.gateway.CardGateway;
import dev.asyncshop.payment.gateway.GatewayAnswer;
import dev.asyncshop.payment.gateway.GatewayUnavailableException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.bean.override.mockito.MockitoBean;

/**
 * Authorize and refund over the in-memory transports; the payments table and the card gateway are
 * stand-ins, the messaging pipeline is the library's own.
 */
@MessagingTest(PaymentCommands.class)
class PaymentHandlerTests {

  @Autowired MessagingTestKit messaging;
  @MockitoBean Payments payments;
  @MockitoBean CardGateway gateway;

  @Test
  void anApprovedChargeIsAuthorizedAndPublished() {
    given(payments.find("o-1")).willReturn(Optional.empty());
    given(payments.addIfAbsent(any())).willReturn(true);
    given(gateway.authorize(any())).willReturn(GatewayAnswer.approve());

    messaging.send(authorize("o-1", "42.5"));

    then(gateway)
        .should()
        .authorize(new CardCharge("o-1", new BigDecimal("42.5"), "EUR", "tok-visa"));
    assertThat(messaging.published(PaymentAuthorized.class))
        .singleElement()
        .satisfies(
            authorized -> {
              assertThat(authorized.orderId()).isEqualTo("o-1");
              assertThat(authorized.amount()).isEqualTo(new BigDecimal("42.50"));
              assertThat(authorized.currency()).isEqualTo("EUR");
            });
  }

  @Test
  void aDeclinedChargeIsPublishedWithTheReason() {
    given(payments.find("o-2")).willReturn(Optional.empty());
    given(payments.addIfAbsent(any())).willReturn(true);
    given(gateway.authorize(any())).willReturn(GatewayAnswer.decline("card expired"));

    messaging.send(authorize("o-2", "10"));

    assertThat(messaging.published(PaymentAuthorized.class)).isEmpty();
    assertThat(messaging.published(PaymentDeclined.class))
        .containsExactly(new PaymentDeclined("o-2", "card expired"));
  }

  @Test
  void aSecondAuthorizeForAnOrderChargesNothing() {
    given(payments.find("o-3")).willReturn(Optional.of(payment("o-3", PaymentStatus.AUTHORIZED)));

    messaging.send(authorize("o-3", "10"));

    then(gateway).should(never()).authorize(any());
    assertThat(messaging.handled(AuthorizePayment.class)).hasSize(1);
    assertThat(messaging.outbound()).isEmpty();
  }

  @Test
  void aRedeliveredAuthorizeIsSkippedAndChargesOnce() {
    given(payments.find("o-4")).willReturn(Optional.empty());
    given(payments.addIfAbsent(any())).willReturn(true);
    given(gateway.authorize(any())).willReturn(GatewayAnswer.approve());

    InMemoryMessage command = messaging.send(authorize("o-4", "10"));
    messaging.deliver(command);

    then(gateway).should().authorize(any());
    assertThat(messaging.duplicatesSkipped(AuthorizePayment.class)).hasSize(1);
    assertThat(messaging.published(PaymentAuthorized.class)).hasSize(1);
  }

  @Test
  void anUnreachableGatewayIsRetriedThenTheCommandGoesBackToItsQueueNotToTheDeadLetters() {
    given(payments.find("o-5")).willReturn(Optional.empty());
    given(gateway.authorize(any())).willThrow(new GatewayUnavailableException("timeout"));

    // messaging.retry.unavailable names the gateway's exception: the broker would deliver the
    // command again until the gateway answers.
    assertThatThrownBy(() -> messaging.send(authorize("o-5", "10")))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("neither handled nor dead-lettered");

    assertThat(messaging.unacknowledged())
        .singleElement()
        .satisfies(
            given ->
                assertThat(given.failure())
                    .isInstanceOf(DependencyUnavailableException.class)
                    .hasRootCauseInstanceOf(GatewayUnavailableException.class));
    assertThat(messaging.retries(AuthorizePayment.class)).isEqualTo(3); // max-retries 3
    assertThat(messaging.deadLettered(AuthorizePayment.class)).isEmpty();
    assertThat(messaging.outbound()).isEmpty();
  }

  @Test
  void anAuthorizeWithoutACurrencyCodeIsDeadLetteredAtOnce() {
    messaging.send(new AuthorizePayment("o-6", "c-1", BigDecimal.TEN, "euro", "tok-visa"));

    assertThat(messaging.deadLettered(AuthorizePayment.class))
        .singleElement()
        .extracting(DeadLetteredMessage::reason, DeadLetteredMessage::attempts)
        .containsExactly(DeadLetterReason.NON_RETRYABLE, 1);
    then(gateway).should(never()).authorize(any());
  }

  @Test
  void aRefundHappensOnceHoweverOftenItIsAsked() {
    Payment refunded = payment("o-7", PaymentStatus.REFUNDED);
    given(payments.refund(eq("o-7"), eq("order cancelled"), any()))
        .willReturn(Optional.of(refunded), Optional.empty());
    given(payments.find("o-7")).willReturn(Optional.of(refunded));

    messaging.send(new RefundPayment("o-7", "order cancelled"));
    messaging.send(new RefundPayment("o-7", "order cancelled"));

    assertThat(messaging.handled(RefundPayment.class)).hasSize(2);
    assertThat(messaging.published(PaymentRefunded.class))
        .containsExactly(
            new PaymentRefunded(
                "o-7", refunded.id().toString(), refunded.amount(), refunded.currency()));
  }

  private static AuthorizePayment authorize(String orderId, String amount) {
    return new AuthorizePayment(orderId, "c-1", new BigDecimal(amount), "EUR", "tok-visa");
  }

  private static Payment payment(String orderId, PaymentStatus status) {
    return new Payment(
        UUID.randomUUID(),
        orderId,
        "c-1",
        status,
        new BigDecimal("10.00"),
        "EUR",
        null,
        null,
        Instant.parse("2026-12-01T10:00:00Z"),
        null);
  }
}
