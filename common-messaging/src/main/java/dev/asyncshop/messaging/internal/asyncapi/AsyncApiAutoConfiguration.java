package dev.asyncshop.messaging.internal.asyncapi;

import dev.asyncshop.messaging.MessagingProperties;
import java.util.Map;
import java.util.Objects;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;
import org.springframework.util.function.SingletonSupplier;
import org.yaml.snakeyaml.Yaml;

/**
 * Serves the service's AsyncAPI document at {@code /actuator/asyncapi} when Spring Boot Actuator is
 * present and the endpoint is exposed ({@code management.endpoints.web.exposure.include}).
 */
@AutoConfiguration
@ConditionalOnClass({Endpoint.class, Yaml.class})
@EnableConfigurationProperties(MessagingProperties.class)
class AsyncApiAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean
  @ConditionalOnAvailableEndpoint
  AsyncApiEndpoint asyncApiEndpoint(
      MessagingProperties properties, Environment environment, ListableBeanFactory beans) {
    return new AsyncApiEndpoint(
        SingletonSupplier.of(() -> document(properties, environment, beans)));
  }

  private static Map<String, Object> document(
      MessagingProperties properties, Environment environment, ListableBeanFactory beans) {
    String service =
        Objects.requireNonNullElseGet(
            properties.serviceName(),
            () -> environment.getProperty("spring.application.name", "application"));
    return AsyncApiDocument.of(service, properties, ServiceClasses.of(application(beans)));
  }

  /**
   * The {@code @SpringBootApplication} class, whose package and class-path root hold the service's
   * handlers and messages.
   */
  private static Class<?> application(ListableBeanFactory beans) {
    for (String name : beans.getBeanNamesForAnnotation(SpringBootConfiguration.class)) {
      Class<?> type = beans.getType(name);
      if (type != null) {
        return ClassUtils.getUserClass(type);
      }
    }
    throw new IllegalStateException(
        "No @SpringBootConfiguration class, so no package of handlers and messages to describe");
  }
}
