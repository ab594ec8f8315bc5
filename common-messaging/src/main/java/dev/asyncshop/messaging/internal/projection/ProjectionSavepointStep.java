package dev.asyncshop.messaging.internal.projection;

import dev.asyncshop.messaging.Envelope;
import dev.asyncshop.messaging.spi.ConsumeResult;
import dev.asyncshop.messaging.spi.ConsumerContext;
import dev.asyncshop.messaging.spi.ConsumerStep;
import dev.asyncshop.messaging.spi.ConsumerStepOrder;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Runs each attempt of a projection's handler in a savepoint of the batch's transaction. A failed
 * attempt rolls back its own writes, and only those (in PostgreSQL a failed statement spoils the
 * whole transaction until then), so the retry starts clean and the records before it in the batch
 * keep theirs. Inside the retries, where the duplicate check's transaction sits for everything
 * else.
 *
 * <p>A message already applied to the generation is skipped: the offsets make each record count
 * once, but a sender that published one message twice (an outbox sending again a record whose
 * acknowledgement was lost) puts it at two offsets. The generation's {@code projection_handled}
 * table, written in the same savepoint, remembers every message id it applied.
 */
final class ProjectionSavepointStep implements ConsumerStep {

  private final TransactionTemplate savepoint;
  private final JdbcTemplate jdbc;

  ProjectionSavepointStep(PlatformTransactionManager transactionManager, JdbcTemplate jdbc) {
    this.savepoint = new TransactionTemplate(transactionManager);
    this.savepoint.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
    this.jdbc = jdbc;
  }

  @Override
  public ConsumeResult process(ConsumerContext context, Chain next) {
    if (!context.subscription().projection()) {
      return next.proceed(context);
    }
    Envelope envelope = context.envelope();
    return savepoint.execute(
        status -> {
          // The generation's own table: its schema is first on the batch's search path.
          if (envelope != null
              && jdbc.update(
                      "insert into "
                          + GenerationStore.HANDLED
                          + " (message_id) values (?) on conflict do nothing",
                      envelope.id())
                  == 0) {
            return ConsumeResult.DUPLICATE;
          }
          return next.proceed(context);
        });
  }

  @Override
  public int getOrder() {
    return ConsumerStepOrder.SKIP_DUPLICATE + 50;
  }
}
