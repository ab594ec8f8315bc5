package dev.asyncshop.order.saga;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The rule that moves saga time: by the time since the last tick, at most a few sweeps' worth, and
 * only from an instance that has reached its brokers for the recovery grace.
 */
class SagaClockTickTests {

  static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
  static final Duration MAX_STEP = Duration.ofSeconds(3);
  static final Duration GRACE = Duration.ofSeconds(15);

  static Instant at(double seconds) {
    return T0.plusMillis((long) (seconds * 1000));
  }

  @Nested
  class Row {

    @Test
    void ticksASecondApartMoveSagaTimeWithTheTimeOfDay() {
      SagaClockRow row = new SagaClockRow(T0, T0);
      for (int second = 1; second <= 60; second++) {
        row = row.tick(at(second), MAX_STEP);
      }

      assertThat(row).isEqualTo(new SagaClockRow(at(60), at(60)));
    }

    @Test
    void instancesTickingSideBySideCountEveryMomentOnce() {
      SagaClockRow row = new SagaClockRow(T0, T0);
      // Two instances a second apart each, the second one's time read just before the first's
      // tick landed.
      for (int second = 1; second <= 30; second++) {
        row = row.tick(at(second), MAX_STEP);
        row = row.tick(at(second - 0.002), MAX_STEP);
        row = row.tick(at(second + 0.5), MAX_STEP);
      }

      assertThat(row.sagaTime()).isEqualTo(at(30.5));
      assertThat(row.tickedAt()).isEqualTo(at(30.5));
    }

    @Test
    void aGapInWhichNobodyTickedCountsAtMostOneStep() {
      SagaClockRow row = new SagaClockRow(at(10), at(10));

      SagaClockRow afterOutage = row.tick(at(70), MAX_STEP);

      assertThat(afterOutage).isEqualTo(new SagaClockRow(at(13), at(70)));
    }

    @Test
    void aTimeOfDayBeforeTheLastTickChangesNothing() {
      SagaClockRow row = new SagaClockRow(at(5), at(10));

      assertThat(row.tick(at(9), MAX_STEP)).isSameAs(row);
      assertThat(row.sagaTimeAt(at(9), MAX_STEP)).isEqualTo(at(5));
    }

    @Test
    void sagaTimeNowIsWhatATickNowWouldSet() {
      SagaClockRow row = new SagaClockRow(at(5), at(10));

      assertThat(row.sagaTimeAt(at(10.4), MAX_STEP)).isEqualTo(at(5.4));
      assertThat(row.sagaTimeAt(at(40), MAX_STEP)).isEqualTo(at(8));
    }
  }

  @Nested
  class Grace {

    private final RecoveryGrace grace = new RecoveryGrace(GRACE);

    @Test
    void noTickWhileTheBrokersCannotBeReachedNorWithinTheGraceAfter() {
      assertThat(grace.over(false, at(0))).isFalse();
      assertThat(grace.over(true, at(1))).isFalse();
      assertThat(grace.over(true, at(15.9))).isFalse();
      assertThat(grace.over(true, at(16))).isTrue();
      assertThat(grace.over(true, at(100))).isTrue();
    }

    @Test
    void aBreakStartsTheGraceAgain() {
      grace.over(true, at(0));
      grace.over(false, at(10));

      assertThat(grace.over(true, at(11))).isFalse();
      assertThat(grace.over(true, at(25))).isFalse();
      assertThat(grace.over(true, at(26))).isTrue();
    }

    @Test
    void aFailedTickStartsTheGraceAgain() {
      grace.over(true, at(0));
      assertThat(grace.over(true, at(20))).isTrue();

      grace.interrupted();

      assertThat(grace.over(true, at(21))).isFalse();
      assertThat(grace.over(true, at(36))).isTrue();
    }

    @Test
    void noGraceTicksAtOnce() {
      assertThat(new RecoveryGrace(Duration.ZERO).over(true, at(0))).isTrue();
    }
  }

  /**
   * One instance sweeping every second: saga time at {@code end} seconds, with the brokers
   * reachable in the seconds {@code connected} accepts.
   */
  private static Instant sagaTimeAfter(int end, IntPredicate connected) {
    RecoveryGrace grace = new RecoveryGrace(GRACE);
    // Reachable since long before the start.
    grace.over(true, at(-GRACE.toSeconds()));
    SagaClockRow row = new SagaClockRow(T0, T0);
    for (int second = 1; second <= end; second++) {
      if (grace.over(connected.test(second), at(second))) {
        row = row.tick(at(second), MAX_STEP);
      }
    }
    return row.sagaTime();
  }

  @Test
  void aMinuteOfOutageCountsOneStepAndTheGraceNotAtAll() {
    // Reachable for 10 s, then not for 60 s, then again.
    Instant sagaTime = sagaTimeAfter(100, second -> second <= 10 || second > 70);

    // 10 s before; after the outage, the grace until 86 s, then one step of 3 s and 14 s more.
    assertThat(sagaTime).isEqualTo(at(27));
    assertThat(Duration.between(sagaTime, at(100))).isEqualTo(Duration.ofSeconds(73));
  }

  @Test
  void withoutOutageSagaTimeKeepsUpWithTheTimeOfDay() {
    assertThat(sagaTimeAfter(100, second -> true)).isEqualTo(at(100));
  }
}
