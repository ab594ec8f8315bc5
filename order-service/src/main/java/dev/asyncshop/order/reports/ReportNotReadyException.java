package dev.asyncshop.order.reports;

/**
 * The read model is not made yet: its projection has had no active generation since the service's
 * first start (the database or Kafka was away). Try again shortly.
 */
public class ReportNotReadyException extends RuntimeException {

  public ReportNotReadyException(String projection) {
    super(
        "The read model of projection "
            + projection
            + " is not made yet; it is made once the service reaches its database and Kafka. Try"
            + " again in a few seconds.");
  }

  public int retryAfterSeconds() {
    return 5;
  }
}
