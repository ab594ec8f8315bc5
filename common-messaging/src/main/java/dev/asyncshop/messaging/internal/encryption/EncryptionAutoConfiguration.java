package dev.asyncshop.messaging.internal.encryption;

import dev.asyncshop.messaging.MessagingProperties;
import dev.asyncshop.messaging.spi.AuditSink;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Encrypts what this service sends on routes with {@code encrypt: true} when it holds a master key,
 * and decrypts what it receives. The decrypting step is always there: without it an encrypted
 * message would reach the payload reader as ciphertext, and one that arrives in the clear on an
 * encrypted route would be handled. Both steps join every pipeline like an application's own steps,
 * at {@link dev.asyncshop.messaging.spi.PublisherStepOrder#ENCRYPT} and {@link
 * dev.asyncshop.messaging.spi.ConsumerStepOrder#DECRYPT}.
 */
@AutoConfiguration(afterName = "dev.asyncshop.messaging.internal.MessagingAutoConfiguration")
@EnableConfigurationProperties(EncryptionProperties.class)
class EncryptionAutoConfiguration {

  /**
   * @throws InvalidEncryptionSettingsException at start-up, for keys the service cannot use or an
   *     encrypted route without an active key
   */
  @Bean
  @ConditionalOnMissingBean(PayloadEncryption.class)
  PayloadEncryption messagingPayloadEncryption(
      EncryptionProperties properties, MessagingProperties messaging) {
    return new PayloadEncryption(MasterKeys.load(properties, messaging.routes()));
  }

  /** Without a master key the step is left out, rather than made to pass every message on. */
  @Bean
  @Conditional(HoldsKeys.class)
  @ConditionalOnMissingBean(EncryptStep.class)
  EncryptStep messagingEncryptStep(PayloadEncryption encryption) {
    return new EncryptStep(encryption);
  }

  @Bean
  @ConditionalOnMissingBean(DecryptStep.class)
  DecryptStep messagingDecryptStep(
      PayloadEncryption encryption,
      MessagingProperties messaging,
      ObjectProvider<MeterRegistry> meterRegistry,
      ObjectProvider<AuditSink> auditSinks,
      Environment environment,
      @Qualifier("messagingClock") Clock messagingClock) {
    String serviceName =
        messaging.serviceName() != null
            ? messaging.serviceName()
            : environment.getProperty("spring.application.name", "application");
    return new DecryptStep(
        encryption,
        meterRegistry.getIfAvailable(() -> Metrics.globalRegistry),
        auditSinks.orderedStream().toList(),
        serviceName,
        messagingClock);
  }

  /**
   * {@code messaging.encryption.key.id} or a key under {@code messaging.encryption.keys} is set.
   */
  static class HoldsKeys extends SpringBootCondition {

    @Override
    public ConditionOutcome getMatchOutcome(
        ConditionContext context, AnnotatedTypeMetadata metadata) {
      EncryptionProperties properties =
          Binder.get(context.getEnvironment())
              .bind("messaging.encryption", EncryptionProperties.class)
              .orElse(null);
      boolean holds =
          properties != null && (properties.key().id() != null || !properties.keys().isEmpty());
      return holds
          ? ConditionOutcome.match("a master key is under messaging.encryption")
          : ConditionOutcome.noMatch("no master key is under messaging.encryption");
    }
  }
}
