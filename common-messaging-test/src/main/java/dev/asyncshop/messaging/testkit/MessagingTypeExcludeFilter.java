package dev.asyncshop.messaging.testkit;

import dev.asyncshop.messaging.HandleMessage;
import java.io.IOException;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.test.context.filter.annotation.StandardAnnotationCustomizableTypeExcludeFilter;
import org.springframework.core.type.AnnotationMetadata;
import org.springframework.core.type.classreading.MetadataReader;
import org.springframework.core.type.classreading.MetadataReaderFactory;

/**
 * Scans, for a {@link MessagingTest}, the named handler components, or when none are named every
 * component that declares a {@code @HandleMessage} method; and the application's
 * {@code @ConfigurationProperties} records, which handlers take their settings from and which need
 * nothing but the environment.
 */
final class MessagingTypeExcludeFilter
    extends StandardAnnotationCustomizableTypeExcludeFilter<MessagingTest> {

  private final Set<Class<?>> handlers;

  MessagingTypeExcludeFilter(Class<?> testClass) {
    super(testClass);
    this.handlers =
        Set.of(getAnnotation().getValue("handlers", Class[].class).orElse(new Class<?>[0]));
  }

  @Override
  protected Set<Class<?>> getComponentIncludes() {
    return handlers;
  }

  @Override
  protected boolean defaultInclude(MetadataReader reader, MetadataReaderFactory factory)
      throws IOException {
    AnnotationMetadata type = reader.getAnnotationMetadata();
    if (type.hasAnnotation(ConfigurationProperties.class.getName())) {
      return true;
    }
    if (handlers.isEmpty() && type.hasAnnotatedMethods(HandleMessage.class.getName())) {
      return true;
    }
    return super.defaultInclude(reader, factory);
  }
}
