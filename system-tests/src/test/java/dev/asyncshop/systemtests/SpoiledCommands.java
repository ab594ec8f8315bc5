package dev.asyncshop.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.asyncshop.messaging.Envelope;
import dev.asyncshop.messaging.internal.signing.CanonicalForm;
import dev.asyncshop.messaging.spi.CloudEventAttributes;
import dev.asyncshop.testsupport.Brokers;
import dev.asyncshop.testsupport.Endpoint;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.function.Supplier;
import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.DirectExchange;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import tools.jackson.databind.node.ObjectNode;

/**
 * Commands spoiled in flight, as a sender with a bug would send them: a command on its way to a
 * queue is taken off it, its payload changed so it no longer reads as its record, signed again with
 * its sender's key (the signature holds, the payload does not), and put back. Its consumer parks it
 * as POISON.
 */
final class SpoiledCommands implements AutoCloseable {

  /**
   * A command as it was sent, and as it was spoiled.
   *
   * @param orderId the order the command is about
   * @param original the payload as its sender wrote it: the fix an operator types in
   */
  record Spoiled(String orderId, String original) {}

  private final Suite suite;
  private final CachingConnectionFactory connections;
  private final RabbitAdmin admin;

  SpoiledCommands(Suite suite) {
    this.suite = suite;
    Endpoint rabbitMq = Brokers.rabbitMq();
    connections = new CachingConnectionFactory(rabbitMq.host(), rabbitMq.port());
    connections.setUsername(rabbitMq.username());
    connections.setPassword(rabbitMq.password());
    admin = new RabbitAdmin(connections);
  }

  RabbitAdmin admin() {
    return admin;
  }

  /**
   * Places an order with {@code place}, takes the command it causes off {@code queue} (unprefixed,
   * such as {@code inventory.reserve}), and sends it on with its field {@code field} spoiled.
   */
  Spoiled spoil(String queue, String field, Supplier<String> place) {
    String prefixed = suite.prefix + queue;
    intercept(prefixed);
    String orderId;
    Message command;
    try {
      orderId = place.get();
      command = awaitIntercepted(prefixed);
    } finally {
      restore(prefixed);
    }
    String original = new String(command.getBody(), StandardCharsets.UTF_8);
    ObjectNode spoiled = (ObjectNode) Shop.JSON.readTree(original);
    spoiled.put(field, "not what " + field + " should be, as a faulty sender wrote it");
    resend(prefixed, command, Shop.JSON.writeValueAsBytes(spoiled));
    return new Spoiled(orderId, original);
  }

  /**
   * Sends what reaches a queue's exchange to a queue of the test instead, so the service never sees
   * it.
   */
  private void intercept(String queue) {
    Queue diverted = new Queue(queue + ".intercepted", false, false, true);
    admin.declareQueue(diverted);
    admin.declareBinding(
        BindingBuilder.bind(diverted).to(new DirectExchange(queue + ".exchange")).with(queue));
    admin.removeBinding(
        new Binding(queue, Binding.DestinationType.QUEUE, queue + ".exchange", queue, Map.of()));
  }

  private Message awaitIntercepted(String queue) {
    RabbitTemplate rabbit = new RabbitTemplate(connections);
    Message message = rabbit.receive(queue + ".intercepted", Duration.ofSeconds(20).toMillis());
    assertThat(message).as("the command to " + queue).isNotNull();
    return message;
  }

  private void restore(String queue) {
    admin.declareBinding(
        new Binding(queue, Binding.DestinationType.QUEUE, queue + ".exchange", queue, Map.of()));
    admin.deleteQueue(queue + ".intercepted");
  }

  /** Puts a command back on its queue with another payload, signed again with its sender's key. */
  private void resend(String queue, Message original, byte[] payload) {
    Map<String, Object> headers = original.getMessageProperties().getHeaders();
    String prefix = "cloudEvents_";
    Envelope envelope =
        CloudEventAttributes.toEnvelope(
            name ->
                name.equals(CloudEventAttributes.DATACONTENTTYPE)
                    ? original.getMessageProperties().getContentType()
                    : headers.get(prefix + name) == null
                        ? null
                        : headers.get(prefix + name).toString(),
            headers.keySet().stream()
                .filter(name -> name.startsWith(prefix))
                .map(name -> name.substring(prefix.length()))
                .toList());
    try {
      Signature signer = Signature.getInstance("Ed25519");
      signer.initSign(suite.signingKeys.get("order").getPrivate());
      signer.update(CanonicalForm.of(envelope.withoutExtension("signature"), payload));
      original
          .getMessageProperties()
          .setHeader(prefix + "signature", Base64.getEncoder().encodeToString(signer.sign()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
    new RabbitTemplate(connections)
        .send(queue + ".exchange", queue, new Message(payload, original.getMessageProperties()));
  }

  @Override
  public void close() {
    connections.destroy();
  }
}
