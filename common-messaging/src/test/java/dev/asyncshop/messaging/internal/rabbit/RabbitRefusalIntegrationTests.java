package dev.asyncshop.messaging.internal.rabbit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.asyncshop.messaging.Envelope;
import dev.asyncshop.messaging.MessagePublishException;
import dev.asyncshop.testsupport.Brokers;
import dev.asyncshop.testsupport.Endpoint;
import dev.asyncshop.testsupport.TestNames;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.DirectExchange;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

/**
 * A negative confirm that lost the broker's close reason to the channel cache ("Channel closed by
 * application") is still explained: the broker is asked whether the queue's exchange exists.
 */
class RabbitRefusalIntegrationTests {

  private static final String CLOSED_BY_CACHE = "Channel closed by application";

  private final CachingConnectionFactory connections = connections();
  private final RabbitTransport transport =
      new RabbitTransport(new RabbitTemplate(connections), null, Duration.ofSeconds(5));

  @AfterEach
  void close() {
    connections.destroy();
  }

  @Test
  void aNackWithoutTheBrokersReasonNamesTheMissingQueueWhenItsExchangeIsNotThere() {
    String missing = TestNames.unique("no.such.queue");

    MessagePublishException refusal =
        transport.refusal(envelope(), missing, CLOSED_BY_CACHE).join();

    assertThat(refusal)
        .hasMessageContaining("404 NOT_FOUND")
        .hasMessageContaining("no queue named '" + missing + "' exists");
  }

  @Test
  void aNackWithoutTheBrokersReasonKeepsItsOwnReasonWhenTheExchangeIsThere() {
    String queue = TestNames.unique("present.queue");
    RabbitAdmin admin = new RabbitAdmin(connections);
    DirectExchange exchange = new DirectExchange(RabbitTopology.exchange(queue), false, true);
    admin.declareExchange(exchange);
    try {
      MessagePublishException refusal =
          transport.refusal(envelope(), queue, CLOSED_BY_CACHE).join();

      assertThat(refusal)
          .hasMessageEndingWith("was refused by RabbitMQ: " + CLOSED_BY_CACHE)
          .hasMessageNotContaining("404");
    } finally {
      admin.deleteExchange(exchange.getName());
    }
  }

  @Test
  void aNackThatCarriesTheBrokersReasonIsExplainedWithoutAskingAgain() {
    MessagePublishException refusal =
        transport
            .refusal(
                envelope(),
                "orders",
                "channel error; protocol method: #method<channel.close>(reply-code=404, reply-text="
                    + "NOT_FOUND - no exchange 'orders.exchange' in vhost '/', class-id=60,"
                    + " method-id=40)")
            .join();

    assertThat(refusal).hasMessageContaining("404 NOT_FOUND");
  }

  private static CachingConnectionFactory connections() {
    Endpoint rabbit = Brokers.rabbitMq();
    CachingConnectionFactory factory = new CachingConnectionFactory(rabbit.host(), rabbit.port());
    factory.setUsername(rabbit.username());
    factory.setPassword(rabbit.password());
    return factory;
  }

  private static Envelope envelope() {
    return new Envelope(
        "command-1",
        "/asyncshop/test",
        "test.command.v1",
        Instant.now(),
        "subject-1",
        Envelope.JSON,
        "flow-1",
        null,
        null,
        "subject-1");
  }
}
