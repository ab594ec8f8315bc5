package dev.asyncshop.order.placement;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** Another service answered with something an order cannot be priced from. */
class InconsistentAnswerException extends ErrorResponseException {

  InconsistentAnswerException(String detail) {
    super(HttpStatus.BAD_GATEWAY, problem(detail), null);
  }

  private static ProblemDetail problem(String detail) {
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_GATEWAY, detail);
    problem.setTitle("Order cannot be priced");
    return problem;
  }
}
