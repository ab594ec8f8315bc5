package dev.asyncshop.messaging.internal.breaker;

/**
 * How one subscription takes messages from its broker, as a transport lets its circuit breaker stop
 * and restart it. Called on the breakers' own thread, one call at a time, never on a thread of the
 * consumer being stopped, so an implementation may wait for its consumers to finish their message.
 */
public interface ConsumerIntake {

  /**
   * Stops taking messages. Messages taken but not yet handled stay with the broker (are given back
   * to it), to be delivered again once the intake resumes; none is handled, none dead-lettered.
   */
  void pause();

  /** Takes messages again; does nothing if the intake runs. */
  void resume();

  /** Whether the intake takes no messages now. */
  boolean isPaused();
}
