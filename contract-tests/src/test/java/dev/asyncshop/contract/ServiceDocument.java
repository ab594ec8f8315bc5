package dev.asyncshop.contract;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * One service's AsyncAPI document, read from YAML, and what the contract checks need from it.
 *
 * @param service the service's name, {@code info.title}
 * @param tree the document
 */
record ServiceDocument(String service, Map<String, Object> tree) {

  static final Path ROOT = findRoot();

  /** Every {@code docs/asyncapi/*.yaml}, by service name. */
  static Map<String, ServiceDocument> committed() {
    Map<String, ServiceDocument> documents = new TreeMap<>();
    try (Stream<Path> files = Files.list(ROOT.resolve("docs/asyncapi"))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
        ServiceDocument document = parse(Files.readString(file, StandardCharsets.UTF_8));
        documents.put(document.service(), document);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (documents.isEmpty()) {
      throw new IllegalStateException(
          "No AsyncAPI document under " + ROOT.resolve("docs/asyncapi"));
    }
    return documents;
  }

  @SuppressWarnings("unchecked")
  static ServiceDocument parse(String yaml) {
    Map<String, Object> tree =
        (Map<String, Object>) new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
    return new ServiceDocument(String.valueOf(map(tree, "info").get("title")), tree);
  }

  /** The operations, by id ({@code send.order.placed.v1}). */
  Map<String, Object> operations() {
    return map(tree, "operations");
  }

  /** The JSON Schema of a message type's payload, if this service has a record for it. */
  Optional<Map<String, Object>> schema(String type) {
    return Optional.ofNullable(map(map(tree, "components"), "schemas").get(type))
        .map(ServiceDocument::asMap);
  }

  Map<String, Object> message(String type) {
    return map(map(map(tree, "components"), "messages"), type);
  }

  Map<String, Object> channel(String id) {
    return map(map(tree, "channels"), id);
  }

  /** The id of the channel an operation's {@code $ref} points to. */
  static String referencedId(Object reference) {
    String pointer = String.valueOf(asMap(reference).get("$ref"));
    return pointer.substring(pointer.lastIndexOf('/') + 1);
  }

  static Map<String, Object> map(Map<String, Object> node, String key) {
    Object value = node.get(key);
    return value == null ? Map.of() : asMap(value);
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> asMap(Object value) {
    return (Map<String, Object>) value;
  }

  @SuppressWarnings("unchecked")
  static List<Object> list(Map<String, Object> node, String key) {
    Object value = node.get(key);
    return value == null ? List.of() : (List<Object>) value;
  }

  private static Path findRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null
        && !(Files.exists(dir.resolve("mvnw")) && Files.isDirectory(dir.resolve("docs")))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException("No repository root above " + Path.of("").toAbsolutePath());
    }
    return dir;
  }
}
