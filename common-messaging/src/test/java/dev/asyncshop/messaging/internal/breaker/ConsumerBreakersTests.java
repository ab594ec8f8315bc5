package dev.asyncshop.messaging.internal.breaker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.asyncshop.messaging.DeadLetterReason;
import dev.asyncshop.messaging.internal.MessagingMetrics;
import dev.asyncshop.messaging.internal.breaker.BreakerFixtures.RecordingIntake;
import dev.asyncshop.messaging.spi.AuditOutcome;
import dev.asyncshop.messaging.spi.AuditRecord;
import dev.asyncshop.messaging.spi.ConsumeResult;
import dev.asyncshop.messaging.spi.DependencyUnavailableException;
import dev.asyncshop.messaging.spi.IdempotencyStore;
import dev.asyncshop.messaging.spi.RejectedMessageException;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker.State;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ConsumerBreakersTests {

  private final BreakerFixtures fixtures = new BreakerFixtures();
  private final RecordingIntake intake = new RecordingIntake();

  @AfterEach
  void close() {
    fixtures.close();
  }

  @Test
  void
      messagesGivenBackForAnUnavailableDependencyOpenTheBreakerWhichPausesTheIntakeOnItsOwnThread() {
    fixtures.breakers.attach(fixtures.queue, intake);

    fixtures.unavailable();
    assertThat(fixtures.breaker().state()).isEqualTo(State.CLOSED); // fewer than 2 counted
    fixtures.unavailable();

    assertThat(fixtures.breaker().state()).isEqualTo(State.OPEN);
    await().atMost(Duration.ofSeconds(5)).until(intake::isPaused);
    assertThat(intake.threads).allMatch(thread -> thread.startsWith("messaging-breaker-"));
    assertThat(gauge()).isEqualTo(2);
    assertThat(fixtures.breaker().openSince()).isNotNull();
  }

  @Test
  void whileOpenAMessageGoesBackAtOnceWithoutRunningTheRestOfThePipeline() {
    fixtures.unavailable();
    fixtures.unavailable();
    AtomicInteger runs = new AtomicInteger();

    assertThatThrownBy(() -> fixtures.process(BreakerFixtures.handled(runs)))
        .isInstanceOf(DependencyUnavailableException.class)
        .hasMessageContaining("circuit breaker is open")
        .hasCauseInstanceOf(CallNotPermittedException.class);
    assertThat(runs).hasValue(0);
  }

  @Test
  void afterTheWaitATrialMessageIsLetThroughAndItsSuccessClosesTheBreakerAndResumesTheIntake() {
    fixtures.breakers.attach(fixtures.queue, intake);
    fixtures.unavailable();
    fixtures.unavailable();

    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> fixtures.breaker().state() == State.HALF_OPEN && !intake.isPaused());
    assertThat(gauge()).isEqualTo(1);
    AtomicInteger runs = new AtomicInteger();
    assertThat(fixtures.process(BreakerFixtures.handled(runs))).isEqualTo(ConsumeResult.HANDLED);

    assertThat(runs).hasValue(1);
    assertThat(fixtures.breaker().state()).isEqualTo(State.CLOSED);
    assertThat(gauge()).isZero();
    await().atMost(Duration.ofSeconds(5)).until(() -> intake.calls.size() == 3);
    assertThat(intake.calls).containsExactly("pause", "resume", "resume");
    assertThat(fixtures.breaker().openSince()).isNull();
    assertThat(fixtures.breaker().timeOpen())
        .isGreaterThanOrEqualTo(BreakerFixtures.SETTINGS.waitInOpen().minusMillis(50));
    assertThat(
            fixtures
                .meters
                .get(MessagingMetrics.BREAKER_OPEN_TIME)
                .tags("transport", "rabbitmq", "destination", "fixture.commands")
                .functionCounter()
                .count())
        .isGreaterThanOrEqualTo(0.25);
  }

  @Test
  void aTrialThatFindsTheDependencyStillDownOpensTheBreakerAgain() {
    fixtures.breakers.attach(fixtures.queue, intake);
    fixtures.unavailable();
    fixtures.unavailable();
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> fixtures.breaker().state() == State.HALF_OPEN);

    fixtures.unavailable();

    assertThat(fixtures.breaker().state()).isEqualTo(State.OPEN);
    await().atMost(Duration.ofSeconds(5)).until(intake::isPaused);
    assertThat(fixtures.audited)
        .last()
        .extracting(AuditRecord::detail)
        .isEqualTo(
            "group fixture-service: half_open -> open, the trial message found a dependency still"
                + " unavailable");
  }

  @Test
  void everyTransitionIsCountedAndAuditedWithTheTimeSpentInTheStateItLeft() {
    fixtures.unavailable();
    fixtures.unavailable();
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> fixtures.breaker().state() == State.HALF_OPEN);
    fixtures.process(BreakerFixtures.handled(new AtomicInteger()));

    for (String[] transition :
        List.of(
            new String[] {"closed", "open"},
            new String[] {"open", "half_open"},
            new String[] {"half_open", "closed"})) {
      assertThat(
              fixtures.count(
                  MessagingMetrics.BREAKER_TRANSITIONS,
                  "transport",
                  "rabbitmq",
                  "destination",
                  "fixture.commands",
                  "group",
                  "fixture-service",
                  "from",
                  transition[0],
                  "to",
                  transition[1]))
          .as("%s -> %s", transition[0], transition[1])
          .isEqualTo(1);
    }
    List<AuditRecord> transitions =
        fixtures.audited.stream()
            .filter(record -> record.outcome() == AuditOutcome.BREAKER_TRANSITION)
            .toList();
    assertThat(transitions)
        .extracting(AuditRecord::detail)
        .containsExactly(
            "group fixture-service: closed -> open, 100% of the last 2 messages found a dependency"
                + " unavailable",
            "group fixture-service: open -> half_open, letting a trial message through",
            "group fixture-service: half_open -> closed, the trial message was handled");
    assertThat(transitions)
        .allSatisfy(
            record -> {
              assertThat(record.transport()).isEqualTo("rabbitmq");
              assertThat(record.destination()).isEqualTo("fixture.commands");
              assertThat(record.service()).isEqualTo("fixture-service");
              assertThat(record.messageId()).isNull();
            });
    assertThat(transitions.get(1).duration())
        .isGreaterThanOrEqualTo(BreakerFixtures.SETTINGS.waitInOpen().minusMillis(50));
  }

  @Test
  void handlerFailuresOfAnyOtherKindAndMessagesNotHandledCountForNothing() {
    for (int i = 0; i < 10; i++) {
      assertThatThrownBy(
              () ->
                  fixtures.process(
                      context -> {
                        throw new RejectedMessageException(
                            DeadLetterReason.RETRIES_EXHAUSTED, new IllegalStateException("bug"));
                      }))
          .isInstanceOf(RejectedMessageException.class);
      assertThatThrownBy(
              () ->
                  fixtures.process(
                      context -> {
                        throw new IdempotencyStore.MessageInProgressException("g", "m-" + 1);
                      }))
          .isInstanceOf(IdempotencyStore.MessageInProgressException.class);
      fixtures.process(context -> ConsumeResult.DUPLICATE);
      fixtures.process(context -> ConsumeResult.IGNORED);
    }

    assertThat(fixtures.breaker().state()).isEqualTo(State.CLOSED);
    assertThat(fixtures.breaker().circuitBreaker().getMetrics().getNumberOfBufferedCalls())
        .isZero();
  }

  @Test
  void anIntakeAttachedWhileItsBreakerIsOpenIsPausedAtOnceAndOneDetachedIsLeftAlone() {
    fixtures.unavailable();
    fixtures.unavailable();

    fixtures.breakers.attach(fixtures.queue, intake);
    await().atMost(Duration.ofSeconds(5)).until(intake::isPaused);

    fixtures.breakers.detach(fixtures.queue);
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> fixtures.breaker().state() == State.HALF_OPEN);
    assertThat(intake.calls).isNotEmpty().containsOnly("pause");
  }

  @Test
  void eachSubscriptionHasABreakerOfItsOwn() {
    fixtures.unavailable();
    fixtures.unavailable();

    assertThat(
            fixtures
                .breakers
                .of(
                    new dev.asyncshop.messaging.spi.Subscription(
                        dev.asyncshop.messaging.Transport.KAFKA,
                        "fixture.commands",
                        "fixture-service",
                        java.util.Map.of()))
                .state())
        .isEqualTo(State.CLOSED);
    assertThat(fixtures.breakers.all())
        .extracting(SubscriptionBreaker::name)
        .containsExactly(
            "kafka:fixture.commands:fixture-service", "rabbitmq:fixture.commands:fixture-service");
  }

  private double gauge() {
    return fixtures
        .meters
        .get(MessagingMetrics.BREAKER_STATE)
        .tags(
            "transport", "rabbitmq", "destination", "fixture.commands", "group", "fixture-service")
        .gauge()
        .value();
  }
}
