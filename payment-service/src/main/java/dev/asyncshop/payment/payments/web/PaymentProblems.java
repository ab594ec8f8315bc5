package dev.asyncshop.payment.payments.web;

import dev.asyncshop.payment.payments.UnknownPaymentException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * The payments' errors as RFC 9457 problem details; Spring MVC's own errors are problem details
 * through {@code spring.mvc.problemdetails.enabled}.
 */
@RestControllerAdvice
class PaymentProblems {

  @ExceptionHandler
  ProblemDetail unknownPayment(UnknownPaymentException e) {
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, e.getMessage());
    problem.setTitle("Unknown payment");
    problem.setProperty("orderId", e.orderId());
    return problem;
  }
}
