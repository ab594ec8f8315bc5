package dev.asyncshop.messaging.internal.rabbit;

import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Turns on publisher confirms and returns for Boot's RabbitMQ connection factory unless the
 * application says otherwise; without them a send cannot know that its queue is missing. The
 * auto-configuration refuses to start if they were turned off.
 */
class RabbitConfirmDefaults implements EnvironmentPostProcessor {

  static final String SOURCE_NAME = "messagingRabbitDefaults";

  @Override
  public void postProcessEnvironment(
      ConfigurableEnvironment environment, SpringApplication application) {
    environment
        .getPropertySources()
        .addLast(
            new MapPropertySource(
                SOURCE_NAME,
                Map.of(
                    "spring.rabbitmq.publisher-confirm-type", "correlated",
                    "spring.rabbitmq.publisher-returns", "true")));
  }
}
