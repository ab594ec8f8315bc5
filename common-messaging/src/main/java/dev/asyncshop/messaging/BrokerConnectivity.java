package dev.asyncshop.messaging;

import java.util.Map;

/**
 * Whether this service can reach, right now, every broker it uses: the ones it consumes from, where
 * the answers to its requests arrive, and the ones it sends to, where its requests leave. Something
 * that waits for another service's answer can tell from it whether the other service is slow, or
 * whether the brokers between them are down and the wait measures an outage instead: a clock that
 * should stand still meanwhile reads it (order-service's saga clock does).
 *
 * <p>Each broker is checked in the background about once a second, from the first read on, so a
 * read costs nothing and never blocks: RabbitMQ by its connection, Kafka by the library's consumers
 * (a live connection and a recent heartbeat to the group coordinator; for a service that only
 * publishes, by the cluster answering), Redis by {@code PING}. A check that has not answered for a
 * few seconds counts as unreachable.
 */
public interface BrokerConnectivity {

  /**
   * Whether every broker this service has routes on was reachable at its last check, a check no
   * more than a few seconds old. True when the service uses no broker.
   */
  boolean connected();

  /** The latest reading of each broker the service has routes on. */
  Map<Transport, Boolean> byTransport();
}
