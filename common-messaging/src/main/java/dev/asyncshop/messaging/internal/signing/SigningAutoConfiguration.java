package dev.asyncshop.messaging.internal.signing;

import dev.asyncshop.messaging.MessagingProperties;
import dev.asyncshop.messaging.internal.signing.SigningProperties.Verify;
import dev.asyncshop.messaging.spi.AuditSink;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * Signs what this service sends when {@code messaging.signing.key.id} is set, and checks what it
 * receives unless {@code messaging.signing.verify} is {@code off}. Both steps join every pipeline
 * like an application's own steps, at {@link dev.asyncshop.messaging.spi.PublisherStepOrder#SIGN}
 * and {@link dev.asyncshop.messaging.spi.ConsumerStepOrder#VERIFY_SIGNATURE}.
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
    return new MessageSignatures(SigningKeys.load(properties), properties.allowedSenders());
  }

  @Bean
  @ConditionalOnMissingBean(SignStep.class)
  SignStep messagingSignStep(MessageSignatures signatures) {
    // without a key the step is left out, not made to pass messages through unsigned
    return signatures.signs() ? new SignStep(signatures) : null;
  }

  @Bean
  @ConditionalOnMissingBean(VerifySignatureStep.class)
  VerifySignatureStep messagingVerifySignatureStep(
      SigningProperties properties,
      MessageSignatures signatures,
      MessagingProperties messaging,
      ObjectProvider<MeterRegistry> meterRegistry,
      ObjectProvider<AuditSink> auditSinks,
      Environment environment,
      @Qualifier("messagingClock") Clock messagingClock) {
    if (properties.verify() == Verify.OFF) {
      return null;
    }
    String serviceName =
        messaging.serviceName() != null
            ? messaging.serviceName()
            : environment.getProperty("spring.application.name", "application");
    return new VerifySignatureStep(
        signatures,
        properties.verify(),
        meterRegistry.getIfAvailable(() -> Metrics.globalRegistry),
        auditSinks.orderedStream().toList(),
        serviceName,
        messagingClock);
  }
}
