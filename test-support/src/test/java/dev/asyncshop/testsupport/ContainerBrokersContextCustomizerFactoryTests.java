package dev.asyncshop.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Nested;
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

  /** Stands in for the test kit's annotation, which this module cannot see. */
  @Retention(RetentionPolicy.RUNTIME)
  @interface InMemoryMessaging {}

  /** As the kit's {@code @MessagingTest} carries it. */
  @Retention(RetentionPolicy.RUNTIME)
  @InMemoryMessaging
  @interface MessagingSlice {}

  @SpringBootTest
  @InMemoryMessaging
  static class ASpringBootTestOnInMemoryMessaging {

    @Nested
    class ANestedTest {}
  }

  @SpringBootTest
  @MessagingSlice
  static class ASpringBootTestMetaAnnotatedWithIt {}

  private final AtomicInteger modeAsked = new AtomicInteger();

  private Supplier<BrokerMode> forcedTo(String setting) {
    return () -> {
      modeAsked.incrementAndGet();
      return BrokerMode.choose(setting, () -> false);
    };
  }

  private ContainerBrokersContextCustomizerFactory factory(String setting) {
    return new ContainerBrokersContextCustomizerFactory(
        forcedTo(setting), InMemoryMessaging.class.getName());
  }

  @Test
  void inContainerModeEverySpringBootTestGetsTheContainerBrokers() {
    var factory = factory("containers");

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
    var factory = factory("local");

    assertThat(factory.createContextCustomizer(AnIntegrationTest.class, List.of())).isNull();
  }

  @Test
  void slicesAndPlainSpringTestsNeverGetThemNorAskForTheMode() {
    var factory = factory("containers");

    assertThat(factory.createContextCustomizer(ASliceOrUnitTest.class, List.of())).isNull();
    assertThat(modeAsked).hasValue(0);
  }

  @Test
  void springBootTestsOnTheKitsInMemoryTransportsNeverGetThemNorAskForTheMode() {
    var factory = factory("containers");

    assertThat(factory.createContextCustomizer(ASpringBootTestOnInMemoryMessaging.class, List.of()))
        .isNull();
    assertThat(
            factory.createContextCustomizer(
                ASpringBootTestOnInMemoryMessaging.ANestedTest.class, List.of()))
        .isNull();
    assertThat(factory.createContextCustomizer(ASpringBootTestMetaAnnotatedWithIt.class, List.of()))
        .isNull();
    assertThat(modeAsked).hasValue(0);
  }

  @Test
  void springTestFindsTheFactoryWithoutAnAnnotation() {
    assertThat(
            SpringFactoriesLoader.forDefaultResourceLocation().load(ContextCustomizerFactory.class))
        .hasAtLeastOneElementOfType(ContainerBrokersContextCustomizerFactory.class);
  }
}
