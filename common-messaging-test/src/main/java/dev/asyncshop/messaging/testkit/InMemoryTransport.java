package dev.asyncshop.messaging.testkit;

import dev.asyncshop.messaging.Transport;
import dev.asyncshop.messaging.spi.OutboundMessage;
import dev.asyncshop.messaging.spi.Reply;
import dev.asyncshop.messaging.spi.RequestReplyTransport;
import java.util.concurrent.CompletableFuture;

/**
 * Stands in for one broker: records every message the service sends and hands it to the in-memory
 * subscriptions of its destination. Every send is taken at once, as a confirmed one would be.
 */
final class InMemoryTransport implements RequestReplyTransport {

  private final Transport transport;
  private final InMemoryBroker broker;
  private final MessageJournal journal;

  InMemoryTransport(Transport transport, InMemoryBroker broker, MessageJournal journal) {
    this.transport = transport;
    this.broker = broker;
    this.journal = journal;
  }

  @Override
  public Transport transport() {
    return transport;
  }

  @Override
  public CompletableFuture<Void> send(OutboundMessage message) {
    InMemoryMessage sent = InMemoryMessage.of(message);
    journal.outbound.add(sent);
    broker.deliver(sent);
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public CompletableFuture<Reply> request(OutboundMessage query) {
    InMemoryMessage asked = InMemoryMessage.of(query);
    journal.outbound.add(asked);
    return broker.request(asked);
  }

  @Override
  public String toString() {
    return "in-memory " + transport;
  }
}
