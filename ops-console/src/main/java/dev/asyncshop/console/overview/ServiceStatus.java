package dev.asyncshop.console.overview;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.jspecify.annotations.Nullable;

/**
 * One service as the overview shows it.
 *
 * @param name its short name
 * @param url where the console reaches it
 * @param health its health status ({@code UP}, {@code DOWN}, ...), or {@code null} when unknown
 * @param components the status of each health component (database, brokers), when it shows them
 * @param parked messages waiting in its parking lot ({@code messaging_parking_lot_size})
 * @param queueDepth messages waiting in the RabbitMQ queues it consumes
 * @param consumerLag records its Kafka consumer groups have yet to read
 * @param outboxBacklog outbox rows not yet sent
 * @param outboxParked outbox rows parked after its broker kept refusing them
 * @param problems what could not be read, in words
 */
record ServiceStatus(
    String name,
    URI url,
    @Nullable String health,
    Map<String, String> components,
    OptionalDouble parked,
    OptionalDouble queueDepth,
    OptionalDouble consumerLag,
    OptionalDouble outboxBacklog,
    OptionalDouble outboxParked,
    List<String> problems) {

  public boolean healthy() {
    return "UP".equals(health);
  }
}
