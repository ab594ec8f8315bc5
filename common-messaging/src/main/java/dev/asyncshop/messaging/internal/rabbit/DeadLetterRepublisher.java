package dev.asyncshop.messaging.internal.rabbit;

import dev.asyncshop.messaging.internal.DeadLetterException;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory.ConfirmType;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.rabbit.retry.RepublishMessageRecovererWithConfirms;

/**
 * Spring AMQP's republishing recoverer, waiting for the broker's confirm, with the pipeline's
 * {@link dev.asyncshop.messaging.DeadLetterHeaders} added to its own exception headers. It
 * publishes to the queue's own dead-letter exchange, which routes to {@code <queue>.dlq}.
 */
final class DeadLetterRepublisher extends RepublishMessageRecovererWithConfirms {

  DeadLetterRepublisher(
      RabbitTemplate template,
      String deadLetterExchange,
      String deadLetterRoutingKey,
      long timeout) {
    super(template, deadLetterExchange, deadLetterRoutingKey, ConfirmType.CORRELATED);
    setConfirmTimeout(timeout);
  }

  @Override
  protected @Nullable Map<? extends String, ? extends Object> additionalHeaders(
      Message message, Throwable cause) {
    if (cause instanceof DeadLetterException deadLetter) {
      return new HashMap<>(deadLetter.deadLetter().headers());
    }
    return null;
  }
}
