package dev.asyncshop.messaging.internal.rabbit;

import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.DirectExchange;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.QueueBuilder;
import org.springframework.amqp.rabbit.AsyncRabbitTemplate;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;

/**
 * Where this instance's query replies arrive: its own exclusive queue, bound to the service's reply
 * exchange by the queue's name, which queries carry as {@code reply_to = exchange/queue}. Answerers
 * need write on that one exchange only, where direct reply-to would need write on the default
 * exchange and so on every queue (see {@link RabbitTopology}).
 *
 * <p>Declared on the first query, so a service that never asks needs no permission for it; the
 * declarations are made once per connection, never per query.
 */
final class RabbitReplies {

  private final ConnectionFactory connectionFactory;
  private final RabbitAdmin admin;
  private final AsyncRabbitTemplate template;
  private final DirectExchange exchange;
  private final Queue queue;
  private final Binding binding;
  private volatile boolean started;

  RabbitReplies(
      ConnectionFactory connectionFactory,
      AsyncRabbitTemplate template,
      String exchange,
      String queue) {
    this.connectionFactory = connectionFactory;
    this.admin = new RabbitAdmin(connectionFactory);
    this.template = template;
    this.exchange = new DirectExchange(exchange, true, false);
    // Exclusive: gone with this instance's connection, and declared again on the next one.
    this.queue = QueueBuilder.nonDurable(queue).exclusive().autoDelete().build();
    this.binding = BindingBuilder.bind(this.queue).to(this.exchange).with(queue);
  }

  /** The reply address queries carry, in Spring AMQP's {@code exchange/routingKey} form. */
  static String address(String exchange, String queue) {
    return exchange + "/" + queue;
  }

  /** The template whose replies arrive here; declares the queue and starts consuming at first. */
  AsyncRabbitTemplate template() {
    if (!started) {
      start();
    }
    return template;
  }

  private synchronized void start() {
    if (started) {
      return;
    }
    declare();
    template.start();
    // A new connection after a broker restart finds the exclusive queue gone.
    connectionFactory.addConnectionListener(
        connection -> {
          if (started) {
            declare();
          }
        });
    started = true;
  }

  private void declare() {
    admin.declareExchange(exchange);
    admin.declareQueue(queue);
    admin.declareBinding(binding);
  }
}
