package dev.asyncshop.messaging.internal.kafka;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * The local tables as a health contributor ({@code localTables}): {@code OUT_OF_SERVICE} until
 * every table has read its topic up to the end offsets seen when it started, then {@code UP}. Meant
 * for the readiness group: an instance whose tables are still loading would answer from a partial
 * state. Each table's details name the partitions still behind and their targets.
 */
final class LocalTablesHealthIndicator implements HealthIndicator {

  private final KafkaLocalTables tables;

  LocalTablesHealthIndicator(KafkaLocalTables tables) {
    this.tables = tables;
  }

  @Override
  public Health health() {
    boolean caughtUp = true;
    Map<String, Object> details = new LinkedHashMap<>();
    for (KafkaLocalTables.Table table : tables.all()) {
      caughtUp &= table.caughtUp();
      Map<String, Object> detail = new LinkedHashMap<>();
      detail.put("caughtUp", table.caughtUp());
      if (!table.caughtUp()) {
        detail.put("behind", table.behind());
      }
      details.put(table.topic(), detail);
    }
    return Health.status(caughtUp ? Status.UP : Status.OUT_OF_SERVICE).withDetails(details).build();
  }
}
