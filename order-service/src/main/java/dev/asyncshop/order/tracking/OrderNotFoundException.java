package dev.asyncshop.order.tracking;

import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** No order has this id. */
public class OrderNotFoundException extends ErrorResponseException {

  public OrderNotFoundException(UUID id) {
    super(HttpStatus.NOT_FOUND, problem(id), null);
  }

  private static ProblemDetail problem(UUID id) {
    ProblemDetail problem =
        ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, "No order " + id);
    problem.setTitle("Order not found");
    return problem;
  }
}
