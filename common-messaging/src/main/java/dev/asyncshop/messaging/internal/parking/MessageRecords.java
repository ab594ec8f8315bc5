package dev.asyncshop.messaging.internal.parking;

import dev.asyncshop.messaging.MessageType;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.type.filter.AnnotationTypeFilter;
import org.springframework.util.ClassUtils;

/**
 * The {@link MessageType} records of the application, by type, found once under its packages: what
 * an edited payload must read as. A parked message may be of a type this run has not sent or
 * received yet, so nothing seen so far would do.
 */
final class MessageRecords {

  private final List<String> packages;
  private final ClassLoader classLoader;
  private volatile @Nullable Map<String, Class<?>> byType;

  MessageRecords(List<String> packages, ClassLoader classLoader) {
    this.packages = List.copyOf(packages);
    this.classLoader = classLoader;
  }

  /** The record of a type, or {@code null} when the application has none. */
  @Nullable Class<?> of(String type) {
    Map<String, Class<?>> records = byType;
    if (records == null) {
      records = scan();
      byType = records;
    }
    return records.get(type);
  }

  private Map<String, Class<?>> scan() {
    ClassPathScanningCandidateComponentProvider scanner =
        new ClassPathScanningCandidateComponentProvider(false);
    scanner.addIncludeFilter(new AnnotationTypeFilter(MessageType.class));
    Map<String, Class<?>> records = new HashMap<>();
    for (String base : packages) {
      for (BeanDefinition candidate : scanner.findCandidateComponents(base)) {
        Class<?> type = ClassUtils.resolveClassName(candidate.getBeanClassName(), classLoader);
        records.put(type.getAnnotation(MessageType.class).value(), type);
      }
    }
    return Map.copyOf(records);
  }
}
