package dev.asyncshop.messaging.internal.encryption;

import dev.asyncshop.messaging.Envelope;
import dev.asyncshop.messaging.MessageKind;
import dev.asyncshop.messaging.MessagingProperties.Route;
import dev.asyncshop.messaging.internal.AuditTrail;
import dev.asyncshop.messaging.internal.encryption.PayloadEncryption.Decrypted;
import dev.asyncshop.messaging.internal.encryption.PayloadEncryption.Failure;
import dev.asyncshop.messaging.spi.AuditOutcome;
import dev.asyncshop.messaging.spi.ConsumeResult;
import dev.asyncshop.messaging.spi.ConsumerContext;
import dev.asyncshop.messaging.spi.ConsumerStep;
import dev.asyncshop.messaging.spi.ConsumerStepOrder;
import dev.asyncshop.messaging.spi.DecodedMessage;
import dev.asyncshop.messaging.spi.Subscription;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decrypts an encrypted payload after its signature was checked, so a forged message never gets a
 * key used on it, and before anything reads the payload. Inside the dead-lettering: a message that
 * cannot be decrypted goes to the dead letters as it arrived, with {@link
 * dev.asyncshop.messaging.DeadLetterReason#DECRYPTION_FAILED}, and no handler runs; it is counted
 * in {@code messaging.security.decryption.failed}, logged and audited as {@link
 * AuditOutcome#DECRYPTION_REJECTED}, each with the key id at most.
 *
 * <p>On a route with {@code encrypt: true} a payload in the clear is rejected too: a sender that
 * should encrypt and does not is misconfigured or forged, and handling what it sent would accept
 * the leak. An encrypted message on a route without it is decrypted all the same, so receivers can
 * be given the key before the sender starts encrypting. An event nobody here handles is passed on
 * undecrypted, for the handler step to ignore: a service needs no key for types it does not read.
 */
final class DecryptStep implements ConsumerStep {

  /**
   * Counts received messages that could not be decrypted, tagged by the {@link DecryptionProblem}.
   */
  static final String FAILED = "messaging.security.decryption.failed";

  private static final Logger log = LoggerFactory.getLogger(DecryptStep.class);

  private final PayloadEncryption encryption;
  private final MeterRegistry meters;
  private final AuditTrail audit;

  DecryptStep(PayloadEncryption encryption, MeterRegistry meters, AuditTrail audit) {
    this.encryption = encryption;
    this.meters = meters;
    this.audit = audit;
  }

  /**
   * @throws DecryptionFailedException if the payload must be decrypted and cannot be
   */
  @Override
  public ConsumeResult process(ConsumerContext context, Chain next) {
    DecodedMessage message = context.message();
    Route route = context.route();
    if (message == null || route == null) {
      return next.proceed(context); // only without the deserializing step before this one
    }
    Envelope envelope = message.envelope();
    if (!PayloadEncryption.isEncrypted(envelope)) {
      if (route.encrypt()) {
        throw rejected(
            context,
            new Failure(
                DecryptionProblem.UNENCRYPTED,
                "route " + route.type() + " is encrypted but the message arrived in the clear"));
      }
      return next.proceed(context);
    }
    if (route.kind() == MessageKind.EVENT
        && context.subscription().handlerOf(route.type()) == null) {
      return next.proceed(context);
    }
    Decrypted decrypted = encryption.decrypt(envelope, message.data());
    if (decrypted.failure() != null) {
      throw rejected(context, decrypted.failure());
    }
    context.message(new DecodedMessage(decrypted.envelope(), decrypted.plaintext()));
    return next.proceed(context);
  }

  private DecryptionFailedException rejected(ConsumerContext context, Failure failure) {
    count(context, failure);
    audit(context, failure);
    Envelope envelope = context.envelope();
    log.warn(
        "Decryption failed ({}) for message {} of type {} from {} on {}: {}; rejected",
        failure.problem().tag(),
        envelope != null ? envelope.id() : "(unreadable)",
        envelope != null ? envelope.type() : "unknown",
        envelope != null ? envelope.source() : "unknown",
        context.subscription().destination(),
        failure.detail());
    return new DecryptionFailedException(failure.problem(), failure.detail());
  }

  private void count(ConsumerContext context, Failure failure) {
    Subscription subscription = context.subscription();
    Route route = context.route();
    Counter.builder(FAILED)
        .description("Received messages whose payload could not be decrypted, by reason")
        .tag("reason", failure.problem().tag())
        .tag("transport", subscription.transport().id())
        .tag("destination", subscription.destination())
        .tag("type", route != null ? route.type() : "unknown")
        .register(meters)
        .increment();
  }

  private void audit(ConsumerContext context, Failure failure) {
    Envelope envelope = context.envelope();
    audit.recordRefused(
        context,
        AuditOutcome.DECRYPTION_REJECTED,
        failure.problem().tag() + ": " + failure.detail() + "; rejected",
        envelope != null && PayloadEncryption.isEncrypted(envelope),
        envelope != null ? envelope.extension(EncryptionExtensions.KEY_ID) : null);
  }

  @Override
  public int getOrder() {
    return ConsumerStepOrder.DECRYPT;
  }
}
