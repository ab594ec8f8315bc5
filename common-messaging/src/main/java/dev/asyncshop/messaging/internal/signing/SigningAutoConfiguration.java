package dev.asyncshop.messaging.internal.signing;

import dev.asyncshop.messaging.internal.AuditTrail;
import dev.asyncshop.messaging.internal.signing.SigningProperties.Verify;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Signs what this service sends when {@code messaging.signing.key.id} is set, and checks what it
 * receives unless {@code messaging.signing.verify} is {@code off}. Both steps join every pipeline
 * like an application's own steps, at {@link dev.asyncshop.messaging.spi.PublisherStepOrder#SIGN}
 * and {@link dev.asyncshop.messaging.spi.ConsumerStepOrder#VERIFY_SIGNATURE}; the replies a query's
 * asker receives are checked the same way.
 */
@AutoConfiguration(afterName = "dev.asyncshop.messaging.internal.MessagingAutoConfiguration")
@EnableConfigurationProperties(SigningProperties.class)
class SigningAutoConfiguration {

  /**
   * @throws InvalidSigningSettingsException at start-up, for keys the service cannot use
   */
  @Bean
  @ConditionalOnMissingBean(MessageSignatures.class)
  MessageSignatures messagingSignatures(SigningProperties properties) {
    return new MessageSignatures(
        SigningKeys.load(properties),
        properties.allowedSenders(),
        new VerifiedSignatures(),
        properties.rememberOwn());
  }

  /** Without a key the step is left out, rather than made to pass messages on unsigned. */
  @Bean
  @ConditionalOnProperty(prefix = "messaging.signing.key", name = "id")
  @ConditionalOnMissingBean(SignStep.class)
  SignStep messagingSignStep(MessageSignatures signatures) {
    return new SignStep(signatures);
  }

  @Bean
  @Conditional(Checking.class)
  @ConditionalOnMissingBean(VerifySignatureStep.class)
  VerifySignatureStep messagingVerifySignatureStep(
      SigningProperties properties,
      MessageSignatures signatures,
      ObjectProvider<MeterRegistry> meterRegistry,
      AuditTrail audit) {
    return new VerifySignatureStep(
        signatures,
        properties.verify(),
        meterRegistry.getIfAvailable(() -> Metrics.globalRegistry),
        audit);
  }

  @Bean
  @Conditional(Checking.class)
  @ConditionalOnMissingBean(ReplySignatureCheck.class)
  ReplySignatureCheck messagingReplySignatureCheck(
      SigningProperties properties,
      MessageSignatures signatures,
      ObjectProvider<MeterRegistry> meterRegistry,
      AuditTrail audit) {
    return new ReplySignatureCheck(
        signatures,
        properties.verify(),
        meterRegistry.getIfAvailable(() -> Metrics.globalRegistry),
        audit);
  }

  /** {@code messaging.signing.verify} is {@code warn} or {@code enforce}. */
  static class Checking extends SpringBootCondition {

    @Override
    public ConditionOutcome getMatchOutcome(
        ConditionContext context, AnnotatedTypeMetadata metadata) {
      Verify verify =
          Binder.get(context.getEnvironment())
              .bind("messaging.signing.verify", Verify.class)
              .orElse(Verify.OFF);
      return verify == Verify.OFF
          ? ConditionOutcome.noMatch("messaging.signing.verify is off")
          : ConditionOutcome.match("messaging.signing.verify is " + verify);
    }
  }
}
