package dev.asyncshop.messaging.testkit;

import dev.asyncshop.messaging.internal.encryption.EncryptionProperties;
import dev.asyncshop.messaging.internal.encryption.EncryptionProperties.ActiveKey;
import java.security.SecureRandom;
import java.util.Base64;
import org.springframework.beans.factory.config.BeanPostProcessor;

/**
 * Gives a service under test that holds no master key a random one, made for this context and never
 * stored, so its routes with {@code encrypt: true} are encrypted and decrypted in memory as they
 * would be between brokers. Settings that name keys are kept as they are.
 */
final class RandomEncryptionKey implements BeanPostProcessor {

  static final String KEY_ID = "inmemory1";

  @Override
  public Object postProcessBeforeInitialization(Object bean, String beanName) {
    if (bean instanceof EncryptionProperties properties
        && properties.key().id() == null
        && properties.keys().isEmpty()) {
      byte[] secret = new byte[32];
      new SecureRandom().nextBytes(secret);
      return new EncryptionProperties(
          new ActiveKey(KEY_ID, Base64.getEncoder().encodeToString(secret), null),
          properties.keys());
    }
    return bean;
  }
}
