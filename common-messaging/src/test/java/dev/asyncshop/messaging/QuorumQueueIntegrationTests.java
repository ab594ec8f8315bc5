package dev.asyncshop.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.Channel;
import dev.asyncshop.messaging.test.TestApp;
import dev.asyncshop.messaging.test.TestMessages.TestCommand;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

/**
 * {@code messaging.rabbitmq.queue-type=quorum}, as on a three-node cluster, against the real
 * RabbitMQ: the queues are quorum queues, dead-lettering at least once, and commands, retries and
 * dead letters work on them as on classic queues.
 */
class QuorumQueueIntegrationTests {

  static final TestApp.Destinations TO = TestApp.Destinations.unique();

  static TestApp app;

  @BeforeAll
  static void start() {
    Map<String, Object> properties = TestApp.baseProperties("quorum-service", TO);
    properties.put("messaging.rabbitmq.queue-type", "quorum");
    app = TestApp.start(properties);
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  @Test
  void theQueueAndItsDeadLettersAreQuorumQueuesThatDeadLetterAtLeastOnce() throws Exception {
    ConnectionFactory connections = app.bean(ConnectionFactory.class);
    try (var connection = connections.createConnection()) {
      // A redeclaration succeeds only with exactly the arguments the queue has.
      try (Channel channel = connection.createChannel(false)) {
        channel.queueDeclare(
            TO.queue(),
            true,
            false,
            false,
            Map.of(
                "x-queue-type", "quorum",
                "x-dead-letter-exchange", TO.queue() + ".dlx",
                "x-dead-letter-routing-key", TO.queue() + ".dlq",
                "x-dead-letter-strategy", "at-least-once",
                "x-overflow", "reject-publish"));
        channel.queueDeclare(
            TO.queue() + ".security.dlq", true, false, false, Map.of("x-queue-type", "quorum"));
      }
      try (Channel channel = connection.createChannel(false)) {
        assertThatThrownBy(
                () -> channel.queueDeclare(TO.queue() + ".dlq", true, false, false, Map.of()))
            .hasStackTraceContaining("PRECONDITION_FAILED");
      }
    }
  }

  @Test
  void commandsAreHandledRetriedAndDeadLetteredOnQuorumQueues() throws Exception {
    app.probe().failTimes("flaky", 2);
    app.probe().alwaysFail("broken");

    app.gateway().send(new TestCommand("flaky"));
    app.gateway().send(new TestCommand("broken"));

    await().atMost(15, TimeUnit.SECONDS).until(() -> app.probe().handled("flaky").size() == 1);
    RabbitTemplate rabbit = app.context().getBean("messagingRabbitTemplate", RabbitTemplate.class);
    Message deadLetter = rabbit.receive(TO.queue() + ".dlq", 15_000);
    assertThat(deadLetter).isNotNull();
    assertThat(new String(deadLetter.getBody())).contains("broken");
    assertThat(deadLetter.getMessageProperties().<Object>getHeader(DeadLetterHeaders.REASON))
        .isEqualTo("RETRIES_EXHAUSTED");
  }
}
