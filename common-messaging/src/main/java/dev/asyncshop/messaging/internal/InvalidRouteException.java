package dev.asyncshop.messaging.internal;

/** A route or handler declaration that cannot work; thrown at start-up. */
public class InvalidRouteException extends RuntimeException {

  public InvalidRouteException(String message) {
    super(message);
  }
}
