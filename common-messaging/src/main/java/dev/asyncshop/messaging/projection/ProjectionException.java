package dev.asyncshop.messaging.projection;

/** An operation on a projection that cannot be done, and why, in words an operator can act on. */
public class ProjectionException extends RuntimeException {

  /** The kinds of refusal, each with the HTTP status that says it. */
  public enum Problem {
    /** This service keeps no projection of that name. */
    UNKNOWN_PROJECTION(404),
    /** A rebuild of the projection is under way already. */
    REBUILD_IN_PROGRESS(409),
    /** No rebuild of the projection is under way to cancel. */
    NO_REBUILD(404);

    private final int status;

    Problem(int status) {
      this.status = status;
    }

    public int status() {
      return status;
    }
  }

  private final Problem problem;

  public ProjectionException(Problem problem, String message) {
    super(message);
    this.problem = problem;
  }

  public Problem problem() {
    return problem;
  }
}
