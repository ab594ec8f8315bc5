package dev.asyncshop.messaging.internal.rabbit;

import dev.asyncshop.messaging.Transport;
import dev.asyncshop.messaging.spi.BrokerCheck;
import org.springframework.amqp.rabbit.connection.Connection;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;

/**
 * RabbitMQ is reachable when the connection the service's consumers and senders share is open.
 * Asking for it opens it again when it was lost, as the next send would; a cached connection costs
 * nothing to ask for, and closing it hands it back.
 */
final class RabbitBrokerCheck implements BrokerCheck {

  private final ConnectionFactory connectionFactory;

  RabbitBrokerCheck(ConnectionFactory connectionFactory) {
    this.connectionFactory = connectionFactory;
  }

  @Override
  public Transport transport() {
    return Transport.RABBITMQ;
  }

  @Override
  public boolean reachable() {
    try (Connection connection = connectionFactory.createConnection()) {
      return connection.isOpen();
    }
  }
}
