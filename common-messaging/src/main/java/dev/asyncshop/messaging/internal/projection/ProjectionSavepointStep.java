package dev.asyncshop.messaging.internal.projection;

import dev.asyncshop.messaging.spi.ConsumeResult;
import dev.asyncshop.messaging.spi.ConsumerContext;
import dev.asyncshop.messaging.spi.ConsumerStep;
import dev.asyncshop.messaging.spi.ConsumerStepOrder;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Runs each attempt of a projection's handler in a savepoint of the batch's transaction. A failed
 * attempt rolls back its own writes, and only those (in PostgreSQL a failed statement spoils the
 * whole transaction until then), so the retry starts clean and the records before it in the batch
 * keep theirs. Inside the retries, where the duplicate check's transaction sits for everything
 * else.
 */
final class ProjectionSavepointStep implements ConsumerStep {

  private final TransactionTemplate savepoint;

  ProjectionSavepointStep(PlatformTransactionManager transactionManager) {
    this.savepoint = new TransactionTemplate(transactionManager);
    this.savepoint.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
  }

  @Override
  public ConsumeResult process(ConsumerContext context, Chain next) {
    if (!context.subscription().projection()) {
      return next.proceed(context);
    }
    return savepoint.execute(status -> next.proceed(context));
  }

  @Override
  public int getOrder() {
    return ConsumerStepOrder.SKIP_DUPLICATE + 50;
  }
}
