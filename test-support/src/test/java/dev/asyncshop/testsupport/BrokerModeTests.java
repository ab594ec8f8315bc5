package dev.asyncshop.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

class BrokerModeTests {

  private final AtomicInteger engineAsked = new AtomicInteger();

  private BooleanSupplier engine(boolean answers) {
    return () -> {
      engineAsked.incrementAndGet();
      return answers;
    };
  }

  @Test
  void withoutSettingTheContainersAreChosenWhenAnEngineAnswers() {
    assertThat(BrokerMode.choose(null, engine(true))).isEqualTo(BrokerMode.CONTAINERS);
    assertThat(BrokerMode.choose("auto", engine(true))).isEqualTo(BrokerMode.CONTAINERS);
  }

  @Test
  void withoutSettingTheLocalBrokersAreChosenWhenNoEngineAnswers() {
    assertThat(BrokerMode.choose(null, engine(false))).isEqualTo(BrokerMode.LOCAL);
    assertThat(BrokerMode.choose(" ", engine(false))).isEqualTo(BrokerMode.LOCAL);
  }

  @Test
  void aSettingDecidesWithoutAskingTheEngine() {
    assertThat(BrokerMode.choose("local", engine(true))).isEqualTo(BrokerMode.LOCAL);
    assertThat(BrokerMode.choose("Containers", engine(false))).isEqualTo(BrokerMode.CONTAINERS);
    assertThat(engineAsked).hasValue(0);
  }

  @Test
  void anUnknownSettingIsRefusedWithTheChoices() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> BrokerMode.choose("docker", engine(true)))
        .withMessageContaining("asyncshop.brokers=docker is not a broker mode")
        .withMessageContaining("use containers, local or auto");
  }
}
