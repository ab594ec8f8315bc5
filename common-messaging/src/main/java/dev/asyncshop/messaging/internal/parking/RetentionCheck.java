package dev.asyncshop.messaging.internal.parking;

import dev.asyncshop.messaging.MessagingProperties;
import dev.asyncshop.messaging.MessagingProperties.Idempotency.Store;
import dev.asyncshop.messaging.Transport;
import dev.asyncshop.messaging.internal.InvalidRouteException;
import dev.asyncshop.messaging.internal.RouteTable;
import java.time.Duration;

/**
 * The three retentions around a dead letter, checked at start-up. A parked message may be replayed
 * for {@code messaging.parking-lot.replayable-for} after it last failed. Its consumer must
 * remember, all that time, whether it handled the message meanwhile, or a replay could act twice:
 * so {@code messaging.idempotency.retention} must be longer. A dead letter on a Kafka dead-letter
 * topic waits there until the parking lot takes it, which is at once unless the database is down;
 * its topic's {@code messaging.kafka.dead-letter-retention} must last at least as long as the
 * replay window, so a dead letter can outwait any outage it can still be replayed after. (A Redis
 * dead-letter stream is capped by length instead: {@code messaging.redis.dead-letter-max-length}.)
 */
final class RetentionCheck {

  private RetentionCheck() {}

  /**
   * @throws InvalidRouteException if the retentions do not fit together
   */
  static void require(MessagingProperties properties, RouteTable routes) {
    Duration replayable = properties.parkingLot().replayableFor();
    Duration remembered = properties.idempotency().retention();
    if (properties.idempotency().store() != Store.NONE && replayable.compareTo(remembered) >= 0) {
      throw new InvalidRouteException(
          ("messaging.parking-lot.replayable-for (%s) must be shorter than"
                  + " messaging.idempotency.retention (%s): a message replayed after its consumer"
                  + " forgot handling it would be handled twice.")
              .formatted(replayable, remembered));
    }
    Duration kafkaRetention = properties.kafka().deadLetterRetention();
    boolean kafka = routes.all().stream().anyMatch(r -> r.transport() == Transport.KAFKA);
    if (kafka && kafkaRetention.compareTo(replayable) < 0) {
      throw new InvalidRouteException(
          ("messaging.kafka.dead-letter-retention (%s) must be at least"
                  + " messaging.parking-lot.replayable-for (%s): a dead letter must be able to wait"
                  + " on its topic for as long as it could still be replayed once parked.")
              .formatted(kafkaRetention, replayable));
    }
  }
}
