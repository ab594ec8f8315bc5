package dev.asyncshop.messaging.internal.encryption;

import dev.asyncshop.messaging.MessagingProperties;
import dev.asyncshop.messaging.internal.AuditTrail;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Encrypts what this service sends on routes with {@code encrypt: true}, and decrypts what it
 * receives. Both steps are always there, as on a route in the clear they cost a flag's check: the
 * decrypting one because without it an encrypted message would reach the payload reader as
 * ciphertext and one in the clear on an encrypted route would be handled; the encrypting one
 * because its keys may come from a source other than the environment (a test's, say). They join
 * every pipeline like an application's own steps, at {@link
 * dev.asyncshop.messaging.spi.PublisherStepOrder#ENCRYPT} and {@link
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

  @Bean
  @ConditionalOnMissingBean(EncryptStep.class)
  EncryptStep messagingEncryptStep(PayloadEncryption encryption) {
    return new EncryptStep(encryption);
  }

  @Bean
  @ConditionalOnMissingBean(DecryptStep.class)
  DecryptStep messagingDecryptStep(
      PayloadEncryption encryption, ObjectProvider<MeterRegistry> meterRegistry, AuditTrail audit) {
    return new DecryptStep(
        encryption, meterRegistry.getIfAvailable(() -> Metrics.globalRegistry), audit);
  }
}
