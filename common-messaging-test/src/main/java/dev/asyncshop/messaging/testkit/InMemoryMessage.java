package dev.asyncshop.messaging.testkit;

import dev.asyncshop.messaging.Envelope;
import dev.asyncshop.messaging.MessageKind;
import dev.asyncshop.messaging.Transport;
import dev.asyncshop.messaging.spi.OutboundMessage;

/**
 * One message on an in-memory transport, as a broker would hold it: where it goes, its envelope and
 * its payload's bytes. Deliver it again with {@link MessagingTestKit#deliver} to act out a
 * redelivery; change it with {@link #withData} or {@link #withEnvelope} to act out a broken one.
 *
 * @param transport the transport of its route
 * @param destination the topic, queue or channel, with the destination prefix
 * @param kind event, command, query or broadcast
 * @param envelope the CloudEvents attributes
 * @param data the payload
 */
public record InMemoryMessage(
    Transport transport, String destination, MessageKind kind, Envelope envelope, byte[] data) {

  static InMemoryMessage of(OutboundMessage outbound) {
    return new InMemoryMessage(
        outbound.route().transport(),
        outbound.route().destination(),
        outbound.route().kind(),
        outbound.envelope(),
        outbound.data());
  }

  /** The message type, from the envelope. */
  public String type() {
    return envelope.type();
  }

  /** The same message with another payload, such as bytes no handler can read. */
  public InMemoryMessage withData(byte[] data) {
    return new InMemoryMessage(transport, destination, kind, envelope, data);
  }

  /** The same message with another envelope, such as one of a type nobody routes. */
  public InMemoryMessage withEnvelope(Envelope envelope) {
    return new InMemoryMessage(transport, destination, kind, envelope, data);
  }
}
