package dev.asyncshop.order.placement;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * This instance already has as many placements under way as it takes on; nothing was stored. A 503
 * with {@code Retry-After}: the client may try again shortly, here or on another instance.
 */
class PlacementsBusyException extends ErrorResponseException {

  PlacementsBusyException(int maxInFlight, int retryAfterSeconds) {
    super(HttpStatus.SERVICE_UNAVAILABLE, problem(maxInFlight, retryAfterSeconds), null);
    getHeaders().set(HttpHeaders.RETRY_AFTER, Integer.toString(retryAfterSeconds));
  }

  private static ProblemDetail problem(int maxInFlight, int retryAfterSeconds) {
    ProblemDetail problem =
        ProblemDetail.forStatusAndDetail(
            HttpStatus.SERVICE_UNAVAILABLE,
            "This instance is placing %d orders already; try again in %d s."
                .formatted(maxInFlight, retryAfterSeconds));
    problem.setTitle("Too many orders being placed");
    return problem;
  }
}
