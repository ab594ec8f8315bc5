package dev.asyncshop.messaging.internal.asyncapi;

import dev.asyncshop.messaging.MessagingProperties;
import dev.asyncshop.messaging.MessagingProperties.Route;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.PropertySourcesPlaceholdersResolver;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.UrlResource;

/**
 * A service's AsyncAPI document without starting it: its routes bound from its own {@code
 * application.yml} with Spring's {@link Binder}, its classes read from its own class-path root. No
 * broker, database or application context is needed, so the build writes the documents in {@code
 * ./mvnw test}. Public for the services' tests and the contract tests; services never call it.
 */
public final class AsyncApiDocuments {

  private AsyncApiDocuments() {}

  /**
   * The document of the application whose {@code @SpringBootApplication} class this is, from the
   * {@code application.yml} beside its classes (not a test's) and the classes under its package.
   */
  public static Map<String, Object> forApplication(Class<?> application) {
    Binder binder = binder(application);
    MessagingProperties properties =
        binder.bindOrCreate("messaging", Bindable.of(MessagingProperties.class));
    String service =
        Objects.requireNonNullElseGet(
            properties.serviceName(),
            () -> binder.bind("spring.application.name", String.class).orElse("application"));
    return AsyncApiDocument.of(service, properties, ServiceClasses.of(application));
  }

  /**
   * The document of a service with these routes and the classes under the package of {@code
   * anchor}, from the same class-path root; for fixtures that stand in for a service.
   */
  public static Map<String, Object> of(String service, List<Route> routes, Class<?> anchor) {
    MessagingProperties defaults =
        new Binder().bindOrCreate("messaging", Bindable.of(MessagingProperties.class));
    return AsyncApiDocument.of(service, routes, "", defaults.kafka(), ServiceClasses.of(anchor));
  }

  public static String toYaml(Map<String, Object> document) {
    return DocumentFormat.YAML.write(document);
  }

  public static String toJson(Map<String, Object> document) {
    return DocumentFormat.JSON.write(document);
  }

  /**
   * Writes the document as YAML, unless the file already holds exactly that, so an unchanged
   * service leaves its committed document untouched.
   *
   * @return whether the file changed
   */
  public static boolean writeYaml(Map<String, Object> document, Path file) {
    String yaml = toYaml(document);
    try {
      if (Files.exists(file) && Files.readString(file, StandardCharsets.UTF_8).equals(yaml)) {
        return false;
      }
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.writeString(file, yaml, StandardCharsets.UTF_8);
      return true;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Binder binder(Class<?> application) {
    String root = ServiceClasses.root(application);
    MutablePropertySources sources = new MutablePropertySources();
    try {
      UrlResource yaml = new UrlResource(root + "application.yml");
      if (yaml.exists()) {
        for (PropertySource<?> source : new YamlPropertySourceLoader().load("application", yaml)) {
          sources.addLast(source);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new Binder(
        ConfigurationPropertySources.from(sources),
        new PropertySourcesPlaceholdersResolver(sources));
  }
}
