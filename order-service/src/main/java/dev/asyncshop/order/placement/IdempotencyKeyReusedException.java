package dev.asyncshop.order.placement;

import java.net.URI;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** An Idempotency-Key came back with a different body than the order it first placed. */
class IdempotencyKeyReusedException extends ErrorResponseException {

  IdempotencyKeyReusedException(UUID orderId) {
    super(HttpStatus.UNPROCESSABLE_CONTENT, problem(orderId), null);
  }

  private static ProblemDetail problem(UUID orderId) {
    ProblemDetail problem =
        ProblemDetail.forStatusAndDetail(
            HttpStatus.UNPROCESSABLE_CONTENT,
            "This Idempotency-Key placed order "
                + orderId
                + " with a different body; use a new key for a new order");
    problem.setTitle("Idempotency-Key reused with a different body");
    problem.setProperty("orderId", orderId);
    problem.setProperty("order", URI.create("/orders/" + orderId));
    return problem;
  }
}
