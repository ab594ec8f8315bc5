package dev.asyncshop.payment.payments.web;

import dev.asyncshop.payment.payments.Payments;
import dev.asyncshop.payment.payments.UnknownPaymentException;
import dev.asyncshop.payment.web.PlainText;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.constraints.Size;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/payments")
class PaymentController {

  private final Payments payments;

  PaymentController(Payments payments) {
    this.payments = payments;
  }

  @GetMapping("/{orderId}")
  @Operation(summary = "The payment of an order: AUTHORIZED, DECLINED or REFUNDED")
  PaymentView ofOrder(@PathVariable @Size(max = 64) @PlainText String orderId) {
    return payments
        .find(orderId)
        .map(PaymentView::of)
        .orElseThrow(() -> new UnknownPaymentException(orderId));
  }
}
