package dev.asyncshop.messaging.internal.signing;

import dev.asyncshop.messaging.Envelope;
import dev.asyncshop.messaging.MessagingProperties.Route;
import dev.asyncshop.messaging.internal.AuditTrail;
import dev.asyncshop.messaging.internal.signing.MessageSignatures.Failure;
import dev.asyncshop.messaging.internal.signing.SigningProperties.Verify;
import dev.asyncshop.messaging.spi.AuditOutcome;
import dev.asyncshop.messaging.spi.CloudEventAttributes;
import dev.asyncshop.messaging.spi.ConsumeResult;
import dev.asyncshop.messaging.spi.ConsumerContext;
import dev.asyncshop.messaging.spi.ConsumerStep;
import dev.asyncshop.messaging.spi.ConsumerStepOrder;
import dev.asyncshop.messaging.spi.DecodedMessage;
import dev.asyncshop.messaging.spi.Replay;
import dev.asyncshop.messaging.spi.Subscription;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks the sending service's signature before anything else reads the message: inside the
 * dead-lettering, so in {@code enforce} a message whose signature does not hold goes to the dead
 * letters with {@link dev.asyncshop.messaging.DeadLetterReason#SIGNATURE_INVALID} and no handler
 * runs (a query's asker gets a failed reply at once); in {@code warn} it is handled all the same.
 * Either way it is counted in {@code messaging.security.rejected}, logged and audited as {@link
 * AuditOutcome#SIGNATURE_REJECTED}.
 */
final class VerifySignatureStep implements ConsumerStep {

  /** Counts messages whose signature did not hold, tagged by the {@link SignatureProblem}. */
  static final String REJECTED = "messaging.security.rejected";

  private static final Logger log = LoggerFactory.getLogger(VerifySignatureStep.class);

  private final MessageSignatures signatures;
  private final Verify mode;
  private final MeterRegistry meters;
  private final AuditTrail audit;

  VerifySignatureStep(
      MessageSignatures signatures, Verify mode, MeterRegistry meters, AuditTrail audit) {
    this.signatures = signatures;
    this.mode = mode;
    this.meters = meters;
    this.audit = audit;
  }

  /**
   * @throws SignatureRejectedException in {@code enforce}, if the signature does not hold
   */
  @Override
  public ConsumeResult process(ConsumerContext context, Chain next) {
    DecodedMessage message = context.message();
    if (message == null) {
      return next.proceed(context); // only without the deserializing step before this one
    }
    Replay replay = context.delivery().replay();
    if (replay != null && replay.edited()) {
      // Its signature was checked when it first arrived (security dead letters are never
      // replayed); the operator's edit since is what it now carries, audited under their name.
      return next.proceed(context);
    }
    Failure failure = signatures.check(message.envelope(), message.data());
    if (failure == null) {
      return next.proceed(context);
    }
    boolean enforced = mode == Verify.ENFORCE;
    count(context, failure);
    audit(context, failure, enforced);
    Envelope envelope = message.envelope();
    log.warn(
        "Signature check failed ({}) for message {} of type {} from {} on {}: {}; {}",
        failure.problem().tag(),
        envelope.id(),
        envelope.type(),
        envelope.source(),
        context.subscription().destination(),
        failure.detail(),
        enforced ? "rejected" : "handled all the same (messaging.signing.verify=warn)");
    if (enforced) {
      throw new SignatureRejectedException(failure.problem(), failure.detail());
    }
    return next.proceed(context);
  }

  private void count(ConsumerContext context, Failure failure) {
    Subscription subscription = context.subscription();
    Route route = context.route();
    // the route's type, known to this service, never a type only the sender names
    countRejected(
        meters,
        failure,
        mode,
        subscription.transport().id(),
        subscription.destination(),
        route != null ? route.type() : "unknown");
  }

  /** One more message or reply whose signature did not hold. */
  static void countRejected(
      MeterRegistry meters,
      Failure failure,
      Verify mode,
      String transport,
      String destination,
      String type) {
    Counter.builder(REJECTED)
        .description("Received messages whose signature did not hold, by reason")
        .tag("reason", failure.problem().tag())
        .tag("mode", mode.name().toLowerCase())
        .tag("transport", transport)
        .tag("destination", destination)
        .tag("type", type)
        .register(meters)
        .increment();
  }

  private void audit(ConsumerContext context, Failure failure, boolean enforced) {
    Envelope envelope = context.envelope();
    audit.recordRefused(
        context,
        AuditOutcome.SIGNATURE_REJECTED,
        failure.problem().tag()
            + ": "
            + failure.detail()
            + (enforced ? "; rejected" : "; let through (warn)"),
        envelope != null && envelope.extension(CloudEventAttributes.ENCRYPTIONKEYID) != null,
        envelope != null ? envelope.extension(CloudEventAttributes.ENCRYPTIONKEYID) : null);
  }

  @Override
  public int getOrder() {
    return ConsumerStepOrder.VERIFY_SIGNATURE;
  }
}
