package dev.asyncshop.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import org.junit.jupiter.api.Test;

/** Choosing the mode by hand; the JVM's own choice is left alone, other tests share it. */
class BrokersTests {

  @Test
  void theLocalBrokersCanBeChosenBeforeAnythingElseChose() {
    assertThat(Brokers.settle(null, BrokerMode.LOCAL)).isEqualTo(BrokerMode.LOCAL);
  }

  @Test
  void choosingTheLocalBrokersAgainChangesNothing() {
    assertThat(Brokers.settle(BrokerMode.LOCAL, BrokerMode.LOCAL)).isEqualTo(BrokerMode.LOCAL);
  }

  @Test
  void theLocalBrokersCannotBeChosenOnceTheContainersWere() {
    assertThatIllegalStateException()
        .isThrownBy(() -> Brokers.settle(BrokerMode.CONTAINERS, BrokerMode.LOCAL))
        .withMessageContaining("already chosen (containers)");
  }
}
