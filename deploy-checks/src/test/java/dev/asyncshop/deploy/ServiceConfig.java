package dev.asyncshop.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What a service's own configuration says: its port, the environment variables its placeholders
 * read, and the properties it sets, as read from its {@code application*.yml}.
 *
 * @param name the module and deployment name, such as {@code order-service}
 * @param port {@code server.port}
 * @param placeholders the variables of every {@code ${VAR}} or {@code ${VAR:default}} placeholder
 * @param properties every property set, flattened ({@code messaging.routes[0].type})
 */
record ServiceConfig(
    String name, int port, Set<String> placeholders, Map<String, Object> properties) {

  private static final Pattern PLACEHOLDER =
      Pattern.compile("\\$\\{([A-Za-z0-9_.\\-]+)(?::[^}]*)?}");

  static ServiceConfig load(String name, Path module) {
    Path resources = module.resolve("src/main/resources");
    Set<String> placeholders = new TreeSet<>();
    Map<String, Object> properties = new TreeMap<>();
    List<Path> files;
    try (Stream<Path> list = Files.list(resources)) {
      files =
          list.filter(f -> f.getFileName().toString().matches("application.*\\.ya?ml")).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (files.isEmpty()) {
      throw new IllegalStateException(name + " has no application.yml under " + resources);
    }
    for (Path file : files) {
      String text = Suite.read(file);
      Matcher matcher = PLACEHOLDER.matcher(text);
      while (matcher.find()) {
        placeholders.add(matcher.group(1));
      }
      for (Object document : Suite.yamlDocuments(text)) {
        flatten("", document, properties);
      }
    }
    Object port = properties.get("server.port");
    if (port == null) {
      throw new IllegalStateException(name + " sets no server.port in " + files);
    }
    return new ServiceConfig(
        name, Integer.parseInt(withoutPlaceholder(port)), placeholders, properties);
  }

  /** The default of a {@code ${VAR:default}} value, or the value itself. */
  private static String withoutPlaceholder(Object value) {
    String text = String.valueOf(value);
    Matcher matcher = Pattern.compile("\\$\\{[^:}]+:([^}]*)}").matcher(text);
    return matcher.matches() ? matcher.group(1) : text;
  }

  private static void flatten(String prefix, Object node, Map<String, Object> into) {
    if (node instanceof Map<?, ?> map) {
      map.forEach(
          (key, value) ->
              flatten(prefix.isEmpty() ? key.toString() : prefix + "." + key, value, into));
    } else if (node instanceof List<?> list) {
      for (int i = 0; i < list.size(); i++) {
        flatten(prefix + "[" + i + "]", list.get(i), into);
      }
    } else {
      into.put(prefix, node);
    }
  }

  /** {@code order-service} for {@code order}, the value of the Dockerfile's SERVICE argument. */
  String shortName() {
    return name.substring(0, name.length() - "-service".length());
  }
}
