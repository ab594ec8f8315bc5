package dev.asyncshop.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.asyncshop.messaging.test.TestApp;
import dev.asyncshop.messaging.test.TestMessages.TestCommand;
import dev.asyncshop.messaging.test.TestMessages.TestEvent;
import dev.asyncshop.messaging.test.TestMessages.TestNotice;
import dev.asyncshop.testsupport.TestNames;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code messaging.max-payload-size} against the real brokers: a service refuses to send a payload
 * over its limit, and a payload over the receiver's limit, sent by a service that allows more, is
 * dead-lettered as POISON on every transport without being parsed or handled.
 */
class OversizedMessagesIntegrationTests {

  static final TestApp.Destinations TO = TestApp.Destinations.unique();
  static final String SERVICE = TestNames.unique("oversized-service");

  static TestApp receiver;

  @BeforeAll
  static void start() {
    Map<String, Object> properties = TestApp.baseProperties(SERVICE, TO);
    properties.put("messaging.max-payload-size", "16KB");
    receiver = TestApp.start(properties);
  }

  @AfterAll
  static void stop() {
    receiver.close();
  }

  @Test
  void aPayloadOverTheLimitIsRefusedWhenSent() {
    String text = "x".repeat(20 * 1024);

    assertThatThrownBy(() -> receiver.gateway().send(new TestCommand(text)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is over messaging.max-payload-size (16384 bytes)");
  }

  @Test
  void aPayloadOverTheReceiversLimitIsDeadLetteredAsPoisonOnEveryTransport() {
    String text = "oversized-" + "x".repeat(20 * 1024);
    try (TestApp sender = TestApp.startSender(TestApp.baseProperties(SERVICE, TO))) {
      sender.gateway().publish(new TestEvent("key-1", text));
      sender.gateway().send(new TestCommand(text));
      sender.gateway().broadcast(new TestNotice(text));

      for (String transport : new String[] {"kafka", "rabbitmq", "redis"}) {
        await()
            .atMost(20, TimeUnit.SECONDS)
            .untilAsserted(
                () ->
                    assertThat(
                            receiver
                                .meters()
                                .find("messaging.dead.lettered")
                                .tags("reason", "POISON", "transport", transport)
                                .counter())
                        .as(transport)
                        .isNotNull());
      }
    }
    assertThat(receiver.probe().runs(text)).isZero();
  }
}
