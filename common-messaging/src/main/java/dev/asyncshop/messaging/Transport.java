package dev.asyncshop.messaging;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The brokers a route may use. Each kind of message has one: events go over Kafka, commands and
 * queries over RabbitMQ, broadcasts over Redis pub/sub (see {@link #of(MessageKind)}).
 */
public enum Transport {
  /** Kafka topics: durable, ordered per key, replayable; for events. */
  KAFKA("kafka"),
  /** RabbitMQ queues: one consumer per message, acknowledged; for commands and queries. */
  RABBITMQ("rabbitmq"),
  /** Redis pub/sub: every listening instance, at most once; for broadcasts. */
  REDIS("redis");

  private final String id;

  Transport(String id) {
    this.id = id;
  }

  /**
   * The lower-case name used in configuration, metric tags and audit records, e.g. {@code
   * rabbitmq}.
   */
  public String id() {
    return id;
  }

  /** The transport whose guarantees fit a kind of message. */
  public static Transport of(MessageKind kind) {
    return switch (kind) {
      case EVENT -> KAFKA;
      case COMMAND, QUERY, REPLY -> RABBITMQ;
      case BROADCAST -> REDIS;
    };
  }

  /**
   * The transport with the given name, in any case, as configuration writes it ({@code rabbitmq},
   * {@code RABBITMQ}).
   *
   * @throws IllegalArgumentException naming the transports that exist
   */
  public static Transport fromId(String name) {
    String wanted = name.trim().toLowerCase(Locale.ROOT);
    for (Transport transport : values()) {
      if (transport.id.equals(wanted)) {
        return transport;
      }
    }
    throw new IllegalArgumentException(
        "Transport '%s' does not exist; use one of %s.".formatted(name, ids()));
  }

  /** Every transport's id, for messages that list them. */
  public static List<String> ids() {
    return Arrays.stream(values()).map(Transport::id).toList();
  }

  @Override
  public String toString() {
    return id;
  }
}
