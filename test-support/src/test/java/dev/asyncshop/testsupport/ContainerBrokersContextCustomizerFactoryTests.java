package dev.asyncshop.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.io.support.SpringFactoriesLoader;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;

class ContainerBrokersContextCustomizerFactoryTests {

  @SpringBootTest
  static class AnIntegrationTest {}

  static class ASubclassOfAnIntegrationTest extends AnIntegrationTest {}

  static class ASliceOrUnitTest {}

  private final AtomicInteger modeAsked = new AtomicInteger();

  private Supplier<BrokerMode> forcedTo(String setting) {
    return () -> {
      modeAsked.incrementAndGet();
      return BrokerMode.choose(setting, () -> false);
    };
  }

  @Test
  void inContainerModeEverySpringBootTestGetsTheContainerBrokers() {
    var factory = new ContainerBrokersContextCustomizerFactory(forcedTo("containers"));

    ContextCustomizer customizer =
        factory.createContextCustomizer(AnIntegrationTest.class, List.of());

    assertThat(customizer).isNotNull();
    assertThat(factory.createContextCustomizer(ASubclassOfAnIntegrationTest.class, List.of()))
        .isEqualTo(customizer)
        .hasSameHashCodeAs(customizer);
    try (GenericApplicationContext context = new GenericApplicationContext()) {
      customizer.customizeContext(context, null);
      context.refresh();
      // Registered and parsed, but nothing asked for a container, so none was started.
      assertThat(context.containsBeanDefinition("redisContainer")).isTrue();
      assertThat(context.getBeanFactory().getBeanDefinition("redisContainer").isPrototype())
          .isTrue();
    }
  }

  @Test
  void inLocalModeNoTestGetsThem() {
    var factory = new ContainerBrokersContextCustomizerFactory(forcedTo("local"));

    assertThat(factory.createContextCustomizer(AnIntegrationTest.class, List.of())).isNull();
  }

  @Test
  void slicesAndPlainSpringTestsNeverGetThemNorAskForTheMode() {
    var factory = new ContainerBrokersContextCustomizerFactory(forcedTo("containers"));

    assertThat(factory.createContextCustomizer(ASliceOrUnitTest.class, List.of())).isNull();
    assertThat(modeAsked).hasValue(0);
  }

  @Test
  void springTestFindsTheFactoryWithoutAnAnnotation() {
    assertThat(
            SpringFactoriesLoader.forDefaultResourceLocation().load(ContextCustomizerFactory.class))
        .hasAtLeastOneElementOfType(ContainerBrokersContextCustomizerFactory.class);
  }
}
