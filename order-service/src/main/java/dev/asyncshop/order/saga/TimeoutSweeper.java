package dev.asyncshop.order.saga;

import dev.asyncshop.order.Moment;
import dev.asyncshop.order.Order;
import dev.asyncshop.order.Orders;
import dev.asyncshop.order.SagaCommand;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Cancels, with compensation, every order whose step had no answer by its deadline, so no saga
 * waits for ever. Each sweep first ticks the saga clock, on which the deadlines run: while
 * order-service cannot reach its brokers, the clock, and so every deadline, stands still. Overdue
 * rows are taken with {@code FOR UPDATE SKIP LOCKED}: several instances sweep side by side without
 * cancelling an order twice, and an order whose answer is being handled right now is left to that
 * answer.
 */
@Component
class TimeoutSweeper implements SchedulingConfigurer {

  private static final Logger log = LoggerFactory.getLogger(TimeoutSweeper.class);

  private final Orders orders;
  private final TransactionTemplate transactions;
  private final SagaSettings settings;
  private final StoredSagaClock sagaClock;
  private final Clock clock;

  TimeoutSweeper(
      Orders orders,
      TransactionTemplate transactions,
      SagaSettings settings,
      StoredSagaClock sagaClock,
      Clock clock) {
    this.orders = orders;
    this.transactions = transactions;
    this.settings = settings;
    this.sagaClock = sagaClock;
    this.clock = clock;
  }

  @Override
  public void configureTasks(ScheduledTaskRegistrar registrar) {
    registrar.addFixedDelayTask(this::sweep, settings.sweepInterval());
  }

  /** Sweeps batches until no overdue order is left; returns how many were cancelled. */
  int sweep() {
    int cancelled = 0;
    try {
      Instant sagaTime = sagaClock.tick();
      int batch;
      do {
        Integer done = transactions.execute(status -> sweepBatch(sagaTime));
        batch = done == null ? 0 : done;
        cancelled += batch;
      } while (batch >= settings.sweepBatchSize());
    } catch (RuntimeException e) {
      // The next run tries again; the deadlines are still in the table.
      log.warn("Timeout sweep failed: {}", e.toString());
    }
    return cancelled;
  }

  private int sweepBatch(Instant sagaTime) {
    Moment now = new Moment(clock.instant().truncatedTo(ChronoUnit.MICROS), sagaTime);
    List<UUID> overdue = orders.lockOverdue(sagaTime, settings.sweepBatchSize());
    for (UUID id : overdue) {
      Order order = orders.lock(id).orElseThrow();
      List<SagaCommand> messages = order.timeOut(now);
      if (!order.isUnchanged()) {
        orders.save(order, messages);
        log.info("Order {} timed out and is {}", id, order.status());
      }
    }
    return overdue.size();
  }
}
