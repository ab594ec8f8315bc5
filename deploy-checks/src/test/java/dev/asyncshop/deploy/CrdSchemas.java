package dev.asyncshop.deploy;

import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The operators' own CustomResourceDefinitions kept in {@code src/test/resources/crds} (see the
 * README there), each served version's {@code openAPIV3Schema} turned into a JSON Schema that says
 * what the API server enforces.
 *
 * <p>Kubernetes reads a structural schema differently from JSON Schema: an object with {@code
 * properties} knows no other field (kubectl's default strict field validation refuses one) unless
 * it carries {@code x-kubernetes-preserve-unknown-fields}; {@code x-kubernetes-int-or-string}
 * accepts an integer or a string; {@code nullable} accepts null. CEL rules ({@code
 * x-kubernetes-validations}) are not evaluated: no CEL engine runs here.
 */
final class CrdSchemas {

  static final Path DIRECTORY = Suite.ROOT.resolve("deploy-checks/src/test/resources/crds");

  private static final ObjectMapper JSON = JsonMapper.builder().build();

  private static final ObjectMapper YAML = YAMLMapper.builder().build();

  /**
   * API groups whose operators publish their CRDs in no package registry reachable here (Maven
   * Central, npm, Debian): KEDA, both RabbitMQ operators, the Prometheus Operator. Their resources
   * are held to the hand-written rules only.
   */
  static final Set<String> UNPUBLISHED_GROUPS =
      Set.of("keda.sh", "rabbitmq.com", "monitoring.coreos.com");

  /** OpenAPI keywords that JSON Schema does not know; {@code nullable} is rewritten first. */
  private static final Set<String> OPENAPI_ONLY = Set.of("nullable", "example", "externalDocs");

  private final Map<String, Schema> byApiVersionAndKind;

  private CrdSchemas(Map<String, Schema> byApiVersionAndKind) {
    this.byApiVersionAndKind = byApiVersionAndKind;
  }

  /** Reads every CRD under {@link #DIRECTORY}. */
  static CrdSchemas load() {
    SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
    Map<String, Schema> schemas = new TreeMap<>();
    try (Stream<Path> files = Files.walk(DIRECTORY)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
        JsonNode crd = YAML.readTree(Files.readString(file));
        if (!"CustomResourceDefinition".equals(crd.path("kind").asString())) {
          throw new IllegalStateException(file + " is not a CustomResourceDefinition");
        }
        String group = crd.path("spec").path("group").asString();
        String kind = crd.path("spec").path("names").path("kind").asString();
        for (JsonNode version : crd.path("spec").path("versions")) {
          JsonNode schema = version.path("schema").path("openAPIV3Schema");
          if (version.path("served").asBoolean() && schema.isObject()) {
            schemas.put(
                key(group + "/" + version.path("name").asString(), kind),
                registry.getSchema(structural(schema.deepCopy())));
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new CrdSchemas(schemas);
  }

  /**
   * Whether the resource is a custom resource: a group with a dot that is not one of Kubernetes'
   * own ({@code *.k8s.io}).
   */
  static boolean isCustom(Map<String, Object> document) {
    String apiVersion = String.valueOf(document.get("apiVersion"));
    int slash = apiVersion.indexOf('/');
    String group = slash < 0 ? "" : apiVersion.substring(0, slash);
    return group.contains(".") && !group.endsWith(".k8s.io");
  }

  /**
   * What the CRD of the resource's apiVersion and kind refuses in it, or why it cannot be checked.
   */
  List<String> problems(Map<String, Object> document) {
    String apiVersion = String.valueOf(document.get("apiVersion"));
    if (!hasPublishedCrd(document)) {
      return List.of();
    }
    String kind = String.valueOf(document.get("kind"));
    String name = kind + " " + ((Map<?, ?>) document.get("metadata")).get("name");
    Schema schema = byApiVersionAndKind.get(key(apiVersion, kind));
    if (schema == null) {
      return List.of(
          name
              + ": no CRD under deploy-checks/src/test/resources/crds serves "
              + apiVersion
              + " "
              + kind
              + " (keep the operator's CRD there, or use a version it serves)");
    }
    List<String> problems = new ArrayList<>();
    for (var error : schema.validate(JSON.valueToTree(document))) {
      problems.add(
          name
              + " ("
              + apiVersion
              + "): "
              + error.getInstanceLocation()
              + " "
              + error.getMessage());
    }
    return problems;
  }

  /** Whether the resource's operator publishes its CRDs where they can be kept from. */
  static boolean hasPublishedCrd(Map<String, Object> document) {
    String apiVersion = String.valueOf(document.get("apiVersion"));
    int slash = apiVersion.indexOf('/');
    return !UNPUBLISHED_GROUPS.contains(slash < 0 ? "" : apiVersion.substring(0, slash));
  }

  /** Whether a CRD for the apiVersion and kind is kept. */
  boolean knows(String apiVersion, String kind) {
    return byApiVersionAndKind.containsKey(key(apiVersion, kind));
  }

  private static String key(String apiVersion, String kind) {
    return apiVersion + " " + kind;
  }

  /** Rewrites Kubernetes' schema extensions as the JSON Schema keywords that mean the same. */
  static JsonNode structural(JsonNode node) {
    if (node instanceof ArrayNode array) {
      array.forEach(CrdSchemas::structural);
      return node;
    }
    if (!(node instanceof ObjectNode schema)) {
      return node;
    }
    if (schema.path("x-kubernetes-int-or-string").asBoolean()) {
      schema.remove("type");
      ArrayNode anyOf = schema.putArray("anyOf");
      anyOf.addObject().put("type", "integer");
      anyOf.addObject().put("type", "string");
    }
    boolean preserveUnknown = schema.path("x-kubernetes-preserve-unknown-fields").asBoolean();
    if (schema.has("properties") && !schema.has("additionalProperties") && !preserveUnknown) {
      schema.put("additionalProperties", false);
    }
    if (schema.path("nullable").asBoolean() && schema.path("type").isString()) {
      ArrayNode types = JSON.createArrayNode().add(schema.path("type").asString()).add("null");
      schema.set("type", types);
    }
    schema.remove(
        schema.propertyNames().stream()
            .filter(key -> key.startsWith("x-kubernetes-") || OPENAPI_ONLY.contains(key))
            .toList());
    // Recurse only into subschemas: the names under properties are field names, not keywords.
    schema.path("properties").forEach(CrdSchemas::structural);
    Optional.ofNullable(schema.get("items")).ifPresent(CrdSchemas::structural);
    Optional.ofNullable(schema.get("additionalProperties")).ifPresent(CrdSchemas::structural);
    for (String combinator : List.of("anyOf", "allOf", "oneOf", "not")) {
      Optional.ofNullable(schema.get(combinator)).ifPresent(CrdSchemas::structural);
    }
    return schema;
  }
}
