package dev.asyncshop.console.services;

import org.jspecify.annotations.Nullable;
import org.springframework.core.NestedExceptionUtils;

/**
 * A service refused a request (its RFC 9457 problem detail, or whatever else it answered), or could
 * not be reached at all ({@link #status()} 0).
 */
public class ServiceProblem extends RuntimeException {

  private static final String PARKING_LOT = "urn:asyncshop:problem:dead-letters:";

  private final String service;
  private final int status;
  private final @Nullable String type;
  private final @Nullable String title;
  private final @Nullable String detail;

  public ServiceProblem(
      String service,
      int status,
      @Nullable String type,
      @Nullable String title,
      @Nullable String detail) {
    super(service + ": " + status + " " + title + ": " + detail);
    this.service = service;
    this.status = status;
    this.type = type;
    this.title = title;
    this.detail = detail;
  }

  public static ServiceProblem unreachable(String service, String url, Exception failure) {
    // The client's own message repeats the URL; the root cause says what happened (refused, timed
    // out).
    Throwable cause = NestedExceptionUtils.getMostSpecificCause(failure);
    String what =
        cause.getMessage() == null
            ? cause.getClass().getSimpleName()
            : cause.getClass().getSimpleName() + ": " + cause.getMessage();
    return new ServiceProblem(
        service, 0, null, "Not reachable", "No answer from " + url + " (" + what + ")");
  }

  public String service() {
    return service;
  }

  public int status() {
    return status;
  }

  public @Nullable String type() {
    return type;
  }

  public @Nullable String title() {
    return title;
  }

  public @Nullable String detail() {
    return detail;
  }

  /** The parking lot's name of the problem ({@code invalid_edit}, ...), if it is one of its own. */
  public @Nullable String parkingLotProblem() {
    return type != null && type.startsWith(PARKING_LOT)
        ? type.substring(PARKING_LOT.length())
        : null;
  }

  /** What the operator reads: who refused, what it said, and what to do about it. */
  public String words() {
    StringBuilder words = new StringBuilder(service).append(": ");
    words.append(title != null ? title : "HTTP " + status);
    if (detail != null && !detail.isBlank()) {
      words.append(". ").append(detail);
    }
    String advice = advice();
    if (advice != null) {
      words.append(". ").append(advice);
    }
    return words.toString();
  }

  private @Nullable String advice() {
    String problem = parkingLotProblem();
    if (problem != null) {
      return ProblemAdvice.forParkingLot(problem);
    }
    return switch (status) {
      case 0 -> "Is it running? The overview shows which services answer.";
      case 401 ->
          "It did not accept your token (expired, or signed by another authorization server):"
              + " log out and in again.";
      case 403 -> "Your token lacks the role this needs (OPS).";
      case 503 -> "It is not ready: one of its brokers or its database may be down.";
      default -> null;
    };
  }
}
