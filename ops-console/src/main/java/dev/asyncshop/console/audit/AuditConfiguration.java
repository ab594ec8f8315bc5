package dev.asyncshop.console.audit;

import dev.asyncshop.console.ConsoleSettings;
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
}
