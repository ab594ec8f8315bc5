package dev.asyncshop.testsupport;

import java.util.List;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.AnnotatedBeanDefinitionReader;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.MergedContextConfiguration;
import org.springframework.test.context.TestContextAnnotationUtils;

/**
 * Adds {@link ContainerBrokersConfiguration} to every {@code @SpringBootTest} when this JVM's
 * brokers are containers ({@link Brokers#mode()}), and nothing otherwise: in local mode no
 * container class is touched and the tests get their brokers as properties, exactly as before.
 * Slices ({@code @WebMvcTest}, ...) need no broker, so they never start a container. Listed in
 * {@code META-INF/spring.factories}, so a test needs no annotation of its own.
 */
class ContainerBrokersContextCustomizerFactory implements ContextCustomizerFactory {

  private final Supplier<BrokerMode> mode;

  ContainerBrokersContextCustomizerFactory() {
    this(Brokers::mode);
  }

  ContainerBrokersContextCustomizerFactory(Supplier<BrokerMode> mode) {
    this.mode = mode;
  }

  @Override
  public @Nullable ContextCustomizer createContextCustomizer(
      Class<?> testClass, List<ContextConfigurationAttributes> configAttributes) {
    if (TestContextAnnotationUtils.hasAnnotation(testClass, SpringBootTest.class)
        && mode.get() == BrokerMode.CONTAINERS) {
      return new AddContainerBrokers();
    }
    return null;
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
