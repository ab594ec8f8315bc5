package dev.asyncshop.console.audit;

import dev.asyncshop.console.ConsoleSettings;
import dev.asyncshop.messaging.audit.AuditChainVerifier;
import java.time.Clock;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

@Configuration(proxyBeanMethods = false)
class AuditConfiguration {

  /** With the client settings of {@code spring.kafka.*}: the address, and the console's user. */
  @Bean
  AuditTimeline auditTimeline(KafkaProperties kafka, ConsoleSettings settings, JsonMapper json) {
    return new AuditTimeline(
        kafka.buildConsumerProperties(), settings.audit(), json, Clock.systemUTC());
  }

  /** The same client settings: the console's read-only user reads every partition. */
  @Bean
  AuditChainVerifier auditChainVerifier(KafkaProperties kafka, ConsoleSettings settings) {
    return new AuditChainVerifier(kafka.buildConsumerProperties(), settings.audit().chainSettle());
  }
}
