package dev.asyncshop.messaging.spi;

/**
 * Something the handling needs (its database, Redis, a broker) could not be reached, so the message
 * was neither handled nor dead-lettered: nothing is wrong with it, and it would fail the same way
 * on any retry until the dependency is back. The transport gives it back to the broker, to be
 * delivered again later, for as long as the outage lasts (see {@code messaging.retry.unavailable}).
 * A broadcast, which its broker cannot deliver again, is lost.
 */
public class DependencyUnavailableException extends RuntimeException {

  public DependencyUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
