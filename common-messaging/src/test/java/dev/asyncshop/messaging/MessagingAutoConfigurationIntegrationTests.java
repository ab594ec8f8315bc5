package dev.asyncshop.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.asyncshop.messaging.MessagingAutoConfigurationTests.Application;
import dev.asyncshop.messaging.MessagingAutoConfigurationTests.WithHandlers;
import dev.asyncshop.testsupport.Brokers;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * Start-up behaviour of the auto-configuration with the test application's routes, against the
 * tests' brokers (the routes' properties come with them).
 */
class MessagingAutoConfigurationIntegrationTests {

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withUserConfiguration(Application.class)
          .withPropertyValues(
              "spring.autoconfigure.exclude="
                  + "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
              "messaging.service-name=autoconfig-test",
              "spring.rabbitmq.publisher-confirm-type=correlated",
              "spring.rabbitmq.publisher-returns=true")
          .withPropertyValues(
              Brokers.springProperties().entrySet().stream()
                  .map(e -> e.getKey() + "=" + e.getValue())
                  .toArray(String[]::new));

  /** Handles the test command in a second consumer group. */
  static class SecondCommandGroup {
    @HandleMessage(group = "another-group")
    void on(dev.asyncshop.messaging.test.TestMessages.TestCommand command) {}
  }

  @Test
  void twoConsumerGroupsOnOneQueueAreRefusedAtStartUp() {
    runner
        .withUserConfiguration(WithHandlers.class)
        .withBean(SecondCommandGroup.class)
        .withPropertyValues(
            dev.asyncshop.messaging.test.TestApp.baseProperties(
                    "autoconfig-test", dev.asyncshop.messaging.test.TestApp.Destinations.unique())
                .entrySet()
                .stream()
                .filter(e -> e.getKey().startsWith("messaging.routes"))
                .map(e -> e.getKey() + "=" + e.getValue())
                .toArray(String[]::new))
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .rootCause()
                    .hasMessageContaining("is consumed by groups")
                    .hasMessageContaining("give each group its own queue"));
  }
}
