package dev.asyncshop.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.Collections;
import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Which environment variables a service reads: its own placeholders, or Spring Boot's relaxed
 * binding of a real property. The properties are those of the Spring Boot configuration metadata on
 * this module's class path (the Boot modules the services use) and those the service's own {@code
 * application.yml} sets.
 */
final class SpringEnvironment {

  /** The prefixes under which an environment variable may bind a property of the services. */
  static final Set<String> PROPERTY_PREFIXES =
      Set.of("SPRING_", "MANAGEMENT_", "MESSAGING_", "SERVER_", "LOGGING_");

  private static SpringEnvironment boot;

  private final Set<String> variables;
  private final Set<String> mapVariablePrefixes;

  private SpringEnvironment(Set<String> variables, Set<String> mapVariablePrefixes) {
    this.variables = variables;
    this.mapVariablePrefixes = mapVariablePrefixes;
  }

  static synchronized SpringEnvironment boot() {
    if (boot == null) {
      boot = load();
    }
    return boot;
  }

  private static SpringEnvironment load() {
    Set<String> variables = new HashSet<>();
    Set<String> maps = new HashSet<>();
    ObjectMapper json = new ObjectMapper();
    try {
      for (String resource :
          new String[] {
            "META-INF/spring-configuration-metadata.json",
            "META-INF/additional-spring-configuration-metadata.json"
          }) {
        for (URL url :
            Collections.list(SpringEnvironment.class.getClassLoader().getResources(resource))) {
          try (InputStream in = url.openStream()) {
            for (JsonNode property : json.readTree(in).path("properties")) {
              String variable = variableOf(property.path("name").asText());
              variables.add(variable);
              if (property.path("type").asText().startsWith("java.util.Map<")) {
                maps.add(variable + "_");
              }
            }
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (!variables.contains("SERVER_PORT") || !variables.contains("SPRING_RABBITMQ_HOST")) {
      throw new IllegalStateException(
          "Spring Boot's configuration metadata is not on the class path");
    }
    return new SpringEnvironment(variables, maps);
  }

  /** The variable that Spring's relaxed binding maps to a property: upper case, no dashes. */
  static String variableOf(String property) {
    return property
        .replaceAll("\\[(\\d+)]", ".$1")
        .replace("-", "")
        .replace('.', '_')
        .toUpperCase(Locale.ROOT);
  }

  /** Why the service does not read this variable, or empty when it does. */
  Optional<String> unread(String variable, ServiceConfig service) {
    if (service.placeholders().contains(variable)) {
      return Optional.empty();
    }
    if (PROPERTY_PREFIXES.stream().noneMatch(variable::startsWith)) {
      return Optional.of(
          "is no placeholder of its application.yml "
              + service.placeholders()
              + " and has none of the prefixes "
              + PROPERTY_PREFIXES);
    }
    boolean own =
        service.properties().keySet().stream()
            .map(SpringEnvironment::variableOf)
            .anyMatch(variable::equals);
    boolean known =
        variables.contains(variable) || mapVariablePrefixes.stream().anyMatch(variable::startsWith);
    return own || known
        ? Optional.empty()
        : Optional.of("binds no Spring Boot property nor one of its application.yml");
  }
}
