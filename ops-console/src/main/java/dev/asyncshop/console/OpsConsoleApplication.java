package dev.asyncshop.console;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The console. It uses common-messaging's audit chain verifier and nothing else of the library: it
 * sends and receives no message, so none of the library's auto-configurations may run here (they
 * would make topics, producers and listeners as the console's read-only broker users).
 */
@SpringBootApplication(
    excludeName = {
      "dev.asyncshop.messaging.internal.MessagingAutoConfiguration",
      "dev.asyncshop.messaging.internal.kafka.KafkaMessagingAutoConfiguration",
      "dev.asyncshop.messaging.internal.rabbit.RabbitMessagingAutoConfiguration",
      "dev.asyncshop.messaging.internal.redis.RedisMessagingAutoConfiguration",
      "dev.asyncshop.messaging.internal.jdbc.JdbcMessagingAutoConfiguration",
      "dev.asyncshop.messaging.internal.asyncapi.AsyncApiAutoConfiguration",
      "dev.asyncshop.messaging.internal.signing.SigningAutoConfiguration",
      "dev.asyncshop.messaging.internal.encryption.EncryptionAutoConfiguration",
      "dev.asyncshop.messaging.internal.tracing.TracingMessagingAutoConfiguration",
      "dev.asyncshop.messaging.internal.parking.ParkingLotAutoConfiguration",
      "dev.asyncshop.messaging.internal.breaker.CircuitBreakerAutoConfiguration"
    })
@ConfigurationPropertiesScan
public class OpsConsoleApplication {

  public static void main(String[] args) {
    SpringApplication.run(OpsConsoleApplication.class, args);
  }
}
