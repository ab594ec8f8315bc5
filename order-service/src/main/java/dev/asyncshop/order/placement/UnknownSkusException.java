package dev.asyncshop.order.placement;

import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** The catalogue does not know some of the ordered SKUs; nothing was stored. */
class UnknownSkusException extends ErrorResponseException {

  UnknownSkusException(List<String> skus) {
    super(HttpStatus.UNPROCESSABLE_CONTENT, problem(skus), null);
  }

  private static ProblemDetail problem(List<String> skus) {
    ProblemDetail problem =
        ProblemDetail.forStatusAndDetail(
            HttpStatus.UNPROCESSABLE_CONTENT, "Unknown SKU(s): " + String.join(", ", skus));
    problem.setTitle("Unknown products");
    problem.setProperty("unknownSkus", skus);
    return problem;
  }
}
