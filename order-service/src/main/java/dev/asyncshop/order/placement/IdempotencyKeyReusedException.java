package dev.asyncshop.order.placement;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * An Idempotency-Key came back with a different body than the order it first placed. The problem
 * does not name that order: keys are not tied to a customer, so it may be someone else's.
 */
class IdempotencyKeyReusedException extends ErrorResponseException {

  IdempotencyKeyReusedException() {
    super(HttpStatus.UNPROCESSABLE_CONTENT, problem(), null);
  }

  private static ProblemDetail problem() {
    ProblemDetail problem =
        ProblemDetail.forStatusAndDetail(
            HttpStatus.UNPROCESSABLE_CONTENT,
            "This Idempotency-Key was used with a different body; use a new key for a new order");
    problem.setTitle("Idempotency-Key reused with a different body");
    return problem;
  }
}
