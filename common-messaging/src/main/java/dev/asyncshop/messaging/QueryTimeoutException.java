package dev.asyncshop.messaging;

/** No reply to a query arrived within its route's timeout. */
public class QueryTimeoutException extends RuntimeException {

  public QueryTimeoutException(String message) {
    super(message);
  }
}
