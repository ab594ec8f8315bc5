package dev.asyncshop.messaging.internal.signing;

import dev.asyncshop.messaging.Envelope;
import dev.asyncshop.messaging.MessagingProperties.Route;
import dev.asyncshop.messaging.QueryFailedException;
import dev.asyncshop.messaging.internal.AuditTrail;
import dev.asyncshop.messaging.internal.ReplyCheck;
import dev.asyncshop.messaging.internal.signing.MessageSignatures.Failure;
import dev.asyncshop.messaging.internal.signing.SigningProperties.Verify;
import dev.asyncshop.messaging.spi.AuditOutcome;
import dev.asyncshop.messaging.spi.Reply;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link VerifySignatureStep} for the replies an asker receives, which skip the consumer pipeline.
 * A forged reply would set an order's prices or its shipping quote, so in {@code enforce} the query
 * fails instead and the caller never reads it; in {@code warn} it is read all the same. Either way
 * it is counted in {@code messaging.security.rejected}, logged and audited as {@link
 * AuditOutcome#SIGNATURE_REJECTED}. There is no dead letter: nobody else could take a reply.
 */
final class ReplySignatureCheck implements ReplyCheck {

  private static final Logger log = LoggerFactory.getLogger(ReplySignatureCheck.class);

  private final MessageSignatures signatures;
  private final Verify mode;
  private final MeterRegistry meters;
  private final AuditTrail audit;

  ReplySignatureCheck(
      MessageSignatures signatures, Verify mode, MeterRegistry meters, AuditTrail audit) {
    this.signatures = signatures;
    this.mode = mode;
    this.meters = meters;
    this.audit = audit;
  }

  @Override
  public void check(Route replyRoute, Reply reply) {
    Envelope envelope = reply.envelope();
    Failure failure = signatures.check(envelope, reply.data());
    if (failure == null) {
      return;
    }
    boolean enforced = mode == Verify.ENFORCE;
    VerifySignatureStep.countRejected(
        meters,
        failure,
        mode,
        replyRoute.transport().id(),
        replyRoute.destination(),
        replyRoute.type());
    String problem = failure.problem().tag() + ": " + failure.detail();
    audit.recordRefusedReply(
        replyRoute,
        envelope,
        AuditOutcome.SIGNATURE_REJECTED,
        problem + (enforced ? "; rejected" : "; let through (warn)"));
    log.warn(
        "Signature check failed ({}) for reply {} to a {} query from {}: {}; {}",
        failure.problem().tag(),
        envelope.id(),
        replyRoute.type(),
        envelope.source(),
        failure.detail(),
        enforced ? "the query fails" : "read all the same (messaging.signing.verify=warn)");
    if (enforced) {
      throw new QueryFailedException(
          "The reply %s to %s was refused, its signature does not hold: %s"
              .formatted(envelope.id(), replyRoute.destination(), problem));
    }
  }
}
