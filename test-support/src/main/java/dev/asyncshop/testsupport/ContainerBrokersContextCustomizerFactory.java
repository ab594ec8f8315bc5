package dev.asyncshop.testsupport;

import java.util.List;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.AnnotatedBeanDefinitionReader;
import org.springframework.core.annotation.MergedAnnotations;
import org.springframework.core.annotation.MergedAnnotations.SearchStrategy;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.MergedContextConfiguration;
import org.springframework.test.context.TestContextAnnotationUtils;

/**
 * Adds {@link ContainerBrokersConfiguration} to every {@code @SpringBootTest} when this JVM's
 * brokers are containers ({@link Brokers#mode()}), and nothing otherwise: in local mode no
 * container class is touched and the tests get their brokers as properties, exactly as before.
 * Slices ({@code @WebMvcTest}, ...) need no broker, so they never start a container; nor does a
 * {@code @SpringBootTest} on the test kit's in-memory transports ({@code
 * AutoConfigureInMemoryMessaging}, found by name, as this module must not depend on the kit), since
 * it switches off exactly the brokers the configuration would connect. Listed in {@code
 * META-INF/spring.factories}, so a test needs no annotation of its own.
 *
 * <p>The rule follows what the test declares, not what it is named: a class name is a convention
 * that nothing checks, and a {@code *Tests} class may well need a broker the kit does not replace.
 */
class ContainerBrokersContextCustomizerFactory implements ContextCustomizerFactory {

  /** The test kit's annotation that puts the application on in-memory transports. */
  static final String IN_MEMORY_MESSAGING =
      "dev.asyncshop.messaging.testkit.AutoConfigureInMemoryMessaging";

  private final Supplier<BrokerMode> mode;
  private final String inMemoryMessaging;

  ContainerBrokersContextCustomizerFactory() {
    this(Brokers::mode, IN_MEMORY_MESSAGING);
  }

  ContainerBrokersContextCustomizerFactory(Supplier<BrokerMode> mode, String inMemoryMessaging) {
    this.mode = mode;
    this.inMemoryMessaging = inMemoryMessaging;
  }

  @Override
  public @Nullable ContextCustomizer createContextCustomizer(
      Class<?> testClass, List<ContextConfigurationAttributes> configAttributes) {
    if (TestContextAnnotationUtils.hasAnnotation(testClass, SpringBootTest.class)
        && !onInMemoryMessaging(testClass)
        && mode.get() == BrokerMode.CONTAINERS) {
      return new AddContainerBrokers();
    }
    return null;
  }

  /** Directly, through a meta-annotation, a superclass or, for a nested test, its enclosing one. */
  private boolean onInMemoryMessaging(Class<?> testClass) {
    return MergedAnnotations.search(SearchStrategy.TYPE_HIERARCHY)
        .withEnclosingClasses(TestContextAnnotationUtils::searchEnclosingClass)
        .from(testClass)
        .isPresent(inMemoryMessaging);
  }

  /** A record, so that equal customizers let Spring's test-context cache share the context. */
  record AddContainerBrokers() implements ContextCustomizer {

    @Override
    public void customizeContext(
        ConfigurableApplicationContext context, MergedContextConfiguration mergedConfig) {
      if (!(context instanceof BeanDefinitionRegistry registry)) {
        throw new IllegalStateException(
            "Cannot add the container brokers to a %s: it takes no bean definitions"
                .formatted(context.getClass().getName()));
      }
      new AnnotatedBeanDefinitionReader(registry).register(ContainerBrokersConfiguration.class);
    }
  }
}
