package dev.asyncshop.messaging.parking;

/**
 * An operation on the parking lot that cannot be done, and why, in words an operator can act on.
 */
public class ParkingLotException extends RuntimeException {

  /** The kinds of refusal, each with the HTTP status that says it. */
  public enum Problem {
    /** No parked message has that id. */
    NOT_FOUND(404),
    /** Someone else replayed or purged it first, or is replaying it now. */
    STATE_CHANGED(409),
    /**
     * It cannot be replayed: refused for security, a query whose asker stopped waiting long ago, or
     * a message too broken to have an envelope.
     */
    NOT_REPLAYABLE(409),
    /** Nothing in this service consumes its destination any more. */
    DESTINATION_GONE(409),
    /** The edited payload does not fit the message's type, or the payload cannot be edited. */
    INVALID_EDIT(422),
    /** The selection is empty or malformed. */
    INVALID_SELECTION(400);

    private final int status;

    Problem(int status) {
      this.status = status;
    }

    public int status() {
      return status;
    }
  }

  private final Problem problem;

  public ParkingLotException(Problem problem, String message) {
    super(message);
    this.problem = problem;
  }

  public Problem problem() {
    return problem;
  }
}
