package dev.asyncshop.messaging.internal.encryption;

import dev.asyncshop.messaging.DeadLetterReason;
import dev.asyncshop.messaging.spi.RejectedMessageException;

/**
 * A received message on an encrypted route whose payload could not be decrypted: it goes to the
 * dead letters at once, as it arrived, never to a handler and never retried. The message starts
 * with the {@link DecryptionProblem#tag()} and names key ids only, never a key or the ciphertext.
 */
public class DecryptionFailedException extends RejectedMessageException {

  private final DecryptionProblem problem;

  DecryptionFailedException(DecryptionProblem problem, String detail) {
    super(DeadLetterReason.DECRYPTION_FAILED, problem.tag() + ": " + detail, null);
    this.problem = problem;
  }

  public DecryptionProblem problem() {
    return problem;
  }
}
