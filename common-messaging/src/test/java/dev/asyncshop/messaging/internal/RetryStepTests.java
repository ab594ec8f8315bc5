package dev.asyncshop.messaging.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.asyncshop.messaging.DeadLetterReason;
import dev.asyncshop.messaging.Envelope;
import dev.asyncshop.messaging.MessageKind;
import dev.asyncshop.messaging.MessagingProperties.Retry;
import dev.asyncshop.messaging.MessagingProperties.Route;
import dev.asyncshop.messaging.NonRetryableMessageException;
import dev.asyncshop.messaging.Transport;
import dev.asyncshop.messaging.spi.AuditOutcome;
import dev.asyncshop.messaging.spi.ConsumeResult;
import dev.asyncshop.messaging.spi.ConsumerContext;
import dev.asyncshop.messaging.spi.ConsumerStep;
import dev.asyncshop.messaging.spi.CurrentMessage;
import dev.asyncshop.messaging.spi.DependencyUnavailableException;
import dev.asyncshop.messaging.spi.IdempotencyStore;
import dev.asyncshop.messaging.spi.RejectedMessageException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;

class RetryStepTests {

  private final PipelineFixtures fixtures = new PipelineFixtures();
  private final RetryStep step =
      new RetryStep(fixtures.retries, fixtures.metrics, fixtures.audit, fixtures.clock);
  private final InvokeHandlerStep handler = new InvokeHandlerStep();
  private final ConsumerStep.Chain runHandler =
      context -> handler.process(context, c -> ConsumeResult.HANDLED);

  @Test
  void aHandlerFailingTwiceRunsAThirdTimeAndEachRetryIsCountedAndAudited() {
    fixtures.handler.failuresBeforeSuccess = 2;
    ConsumerContext context = fixtures.readCommand("flaky");

    assertThat(step.process(context, runHandler)).isSameAs(ConsumeResult.HANDLED);

    assertThat(fixtures.handler.handled).hasSize(1);
    assertThat(context.attempts()).isEqualTo(3);
    assertThat(context.firstFailure()).isEqualTo(fixtures.clock.instant());
    assertThat(context.lastException()).hasMessage("simulated failure");
    assertThat(fixtures.count(MessagingMetrics.RETRIED)).isEqualTo(2.0);
    assertThat(fixtures.auditedOutcomes())
        .containsExactly(AuditOutcome.RETRIED, AuditOutcome.RETRIED);
    assertThat(fixtures.audited.get(1).attempt()).isEqualTo(3);
    assertThat(fixtures.audited.get(1).detail()).contains("simulated failure");
    assertThat(
            fixtures
                .meters
                .get(MessagingMetrics.HANDLER_DURATION)
                .tag("outcome", "failure")
                .timer()
                .count())
        .isEqualTo(2);
  }

  @Test
  void aFailedFirstAttemptWritesAnOwedReceiptAtOnceBeforeTheRetry() {
    fixtures.handler.failuresBeforeSuccess = 1;
    ConsumerContext context = fixtures.readCommand("flaky");
    context.receiptUnaudited(true);
    List<List<AuditOutcome>> seenByAttempt = new ArrayList<>();

    step.process(
        context,
        c -> {
          seenByAttempt.add(fixtures.auditedOutcomes());
          return runHandler.proceed(c);
        });

    assertThat(seenByAttempt)
        .containsExactly(List.of(), List.of(AuditOutcome.RECEIVED, AuditOutcome.RETRIED));
    assertThat(context.receiptUnaudited()).isFalse();
  }

  @Test
  void whenTheRetriesAreSpentTheMessageIsRejectedWithTheLastFailure() {
    fixtures.handler.failuresBeforeSuccess = Integer.MAX_VALUE;
    ConsumerContext context = fixtures.readCommand("failing");

    assertThatThrownBy(() -> step.process(context, runHandler))
        .isInstanceOfSatisfying(
            RejectedMessageException.class,
            rejected -> {
              assertThat(rejected.reason()).isEqualTo(DeadLetterReason.RETRIES_EXHAUSTED);
              assertThat(rejected.failure())
                  .isInstanceOf(IllegalStateException.class)
                  .hasMessage("simulated failure");
            });
    assertThat(context.attempts()).isEqualTo(4);
  }

  @Test
  void aFailureRetryingCannotFixIsRejectedAfterOneRun() {
    fixtures.handler.reject = true;
    ConsumerContext context = fixtures.readCommand("reject");

    assertThatThrownBy(() -> step.process(context, runHandler))
        .isInstanceOfSatisfying(
            RejectedMessageException.class,
            rejected -> assertThat(rejected.reason()).isEqualTo(DeadLetterReason.NON_RETRYABLE));
    assertThat(context.attempts()).isEqualTo(1);
  }

  @Test
  void eachRunIsTheHandlingOfTheMessageUntilTheDuplicateChecksTransactionCommitted() {
    ConsumerContext context = fixtures.readCommand("after commit");
    List<@Nullable Envelope> seenOnCommit = new ArrayList<>();
    IdempotencyStore committingStore =
        (group, messageId, work) -> {
          work.run();
          // where the JDBC store commits, and the handler's after-commit callbacks send
          seenOnCommit.add(CurrentMessage.get());
          return IdempotencyStore.Outcome.HANDLED;
        };
    ConsumerStep.Chain chain =
        new ConsumerSteps(List.of(step, new SkipDuplicateStep(committingStore), handler), List.of())
            .chain();

    assertThat(chain.proceed(context)).isSameAs(ConsumeResult.HANDLED);

    assertThat(seenOnCommit).containsExactly(context.envelope());
    assertThat(fixtures.handler.currentMessages).containsExactly(context.envelope());
    assertThat(CurrentMessage.get()).isNull();
  }

  @Test
  void aStepInsideTheRetriesThatRejectsTheMessageIsDeadLetteredAtOnceWithItsOwnReason() {
    ConsumerContext context = fixtures.readCommand("rejected by a step");
    RejectedMessageException rejection =
        new RejectedMessageException(DeadLetterReason.POISON, "no subject");

    assertThatThrownBy(
            () ->
                step.process(
                    context,
                    c -> {
                      throw rejection;
                    }))
        .isSameAs(rejection);
    assertThat(context.attempts()).isEqualTo(1);
    assertThat(context.lastException()).isSameAs(rejection);
    assertThat(fixtures.count(MessagingMetrics.RETRIED)).isZero();
  }

  @Test
  void anyOtherExceptionOfAStepInsideTheRetriesCountsAsAHandlerFailure() {
    ConsumerContext context = fixtures.readCommand("a step fails");

    assertThatThrownBy(
            () ->
                step.process(
                    context,
                    c -> {
                      throw new IllegalStateException("step failed");
                    }))
        .isInstanceOfSatisfying(
            RejectedMessageException.class,
            rejected ->
                assertThat(rejected.reason()).isEqualTo(DeadLetterReason.RETRIES_EXHAUSTED));
    assertThat(context.attempts()).isEqualTo(4);
  }

  @Test
  void aHandlerWhoseDatabaseIsDownGoesBackToTheBrokerOnceTheRetriesAreSpent() {
    ConsumerContext context = fixtures.readCommand("database down");
    CannotGetJdbcConnectionException down =
        new CannotGetJdbcConnectionException(
            "Failed to obtain JDBC Connection", new SQLException("connection refused"));

    assertThatThrownBy(
            () ->
                step.process(
                    context,
                    c -> {
                      throw down;
                    }))
        .isInstanceOfSatisfying(
            DependencyUnavailableException.class,
            unavailable -> {
              assertThat(unavailable).hasCause(down);
              assertThat(unavailable).hasMessageContaining(context.envelope().id());
            });
    assertThat(context.attempts()).isEqualTo(4);
    assertThat(fixtures.count(MessagingMetrics.RETRIED)).isEqualTo(3.0);
  }

  @Test
  void anUnavailableDependencyThatRecoversWithinTheRetriesIsJustARetry() {
    ConsumerContext context = fixtures.readCommand("database back");
    int[] runs = {0};

    assertThat(
            step.process(
                context,
                c -> {
                  if (++runs[0] < 3) {
                    throw new DataAccessResourceFailureException("database restarting");
                  }
                  return ConsumeResult.HANDLED;
                }))
        .isSameAs(ConsumeResult.HANDLED);
    assertThat(context.attempts()).isEqualTo(3);
  }

  @Test
  void aStepsOwnDependencyUnavailableExceptionPassesUnchanged() {
    ConsumerContext context = fixtures.readCommand("store down");
    IdempotencyStore.StoreUnavailableException storeDown =
        new IdempotencyStore.StoreUnavailableException(
            "Redis idempotency store unavailable", new IllegalStateException("timeout"));

    assertThatThrownBy(
            () ->
                step.process(
                    context,
                    c -> {
                      throw storeDown;
                    }))
        .isSameAs(storeDown);
  }

  @Test
  void aFailureListedAsNonRetryableIsDeadLetteredEvenIfItNamesADependency() {
    Retry settings =
        new Retry(
            3,
            Duration.ofMillis(1),
            1.0,
            Duration.ofMillis(1),
            Duration.ZERO,
            List.of(NonRetryableMessageException.class),
            List.of(DataAccessResourceFailureException.class));
    RetryStep strict =
        new RetryStep(
            new RetryTemplates(settings), fixtures.metrics, fixtures.audit, fixtures.clock);
    ConsumerContext context = fixtures.readCommand("refused for good");
    context.route(
        new Route(
            "fixture.command.v1",
            MessageKind.COMMAND,
            Transport.RABBITMQ,
            PipelineFixtures.QUEUE,
            settings,
            null));

    assertThatThrownBy(
            () ->
                strict.process(
                    context,
                    c -> {
                      throw new NonRetryableMessageException(
                          "no", new DataAccessResourceFailureException("down"));
                    }))
        .isInstanceOfSatisfying(
            RejectedMessageException.class,
            rejected -> assertThat(rejected.reason()).isEqualTo(DeadLetterReason.NON_RETRYABLE));
    assertThat(context.attempts()).isEqualTo(1);
  }

  @Test
  void aMessageAnotherConsumerKeepsClaimedGoesBackToTheBrokerInsteadOfTheDeadLetters() {
    ConsumerContext context = fixtures.readCommand("claimed");

    assertThatThrownBy(
            () ->
                step.process(
                    context,
                    c -> {
                      throw new IdempotencyStore.MessageInProgressException("g", "id");
                    }))
        .isInstanceOf(IdempotencyStore.MessageInProgressException.class);
    assertThat(context.attempts()).isEqualTo(4);
  }
}
