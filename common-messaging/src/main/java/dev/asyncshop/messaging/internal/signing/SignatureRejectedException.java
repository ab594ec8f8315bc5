package dev.asyncshop.messaging.internal.signing;

import dev.asyncshop.messaging.DeadLetterReason;
import dev.asyncshop.messaging.spi.RejectedMessageException;

/**
 * A received message whose signature does not hold: it goes to the dead letters at once, never to a
 * handler and never retried. The dead letter's exception message starts with the {@link
 * SignatureProblem#tag()}.
 */
public class SignatureRejectedException extends RejectedMessageException {

  private final SignatureProblem problem;

  SignatureRejectedException(SignatureProblem problem, String detail) {
    super(DeadLetterReason.SIGNATURE_INVALID, problem.tag() + ": " + detail, null);
    this.problem = problem;
  }

  public SignatureProblem problem() {
    return problem;
  }
}
