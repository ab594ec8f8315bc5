package dev.asyncshop.messaging;

/** The handler of a query failed; the message names the handler's exception. */
public class QueryFailedException extends RuntimeException {

  public QueryFailedException(String message) {
    super(message);
  }
}
