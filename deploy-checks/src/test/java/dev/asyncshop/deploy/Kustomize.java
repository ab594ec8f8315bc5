package dev.asyncshop.deploy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Renders a kustomization. {@code kubectl kustomize} is the real renderer and is used wherever
 * kubectl is on PATH. Without it a small renderer stands in: it knows only what this repository's
 * kustomizations use (resources, namespace, labels with includeTemplates, strategic-merge patches
 * on containers, volumes and the like) and refuses anything else, so that it can be wrong only
 * loudly. Where both exist, {@code KubernetesManifestsTests} proves they render the same.
 */
final class Kustomize {

  record Rendering(String renderer, List<Map<String, Object>> documents) {}

  private static final Set<String> KNOWN_FIELDS =
      Set.of("apiVersion", "kind", "resources", "namespace", "labels", "patches", "images");

  private static final Set<String> CLUSTER_SCOPED =
      Set.of(
          "Namespace",
          "ClusterRole",
          "ClusterRoleBinding",
          "CustomResourceDefinition",
          "PersistentVolume",
          "StorageClass",
          "PriorityClass");

  private static final Set<String> POD_TEMPLATE_KINDS =
      Set.of("Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job");

  /** Strategic-merge keys of the lists this renderer merges; every other list is replaced. */
  private static final Map<String, String> MERGE_KEYS =
      Map.of(
          "containers", "name",
          "initContainers", "name",
          "volumes", "name",
          "env", "name",
          "volumeMounts", "mountPath",
          "ports", "containerPort",
          "imagePullSecrets", "name");

  private Kustomize() {}

  static Rendering render(Path dir) {
    return withKubectl(dir)
        .map(documents -> new Rendering("kubectl kustomize", documents))
        .orElseGet(() -> new Rendering("the in-test renderer", withFallback(dir)));
  }

  static Optional<List<Map<String, Object>>> withKubectl(Path dir) {
    if (Suite.onPath("kubectl").isEmpty()) {
      return Optional.empty();
    }
    Suite.ProcessResult result =
        Suite.run(
            Suite.ROOT, Duration.ofSeconds(120), List.of("kubectl", "kustomize", dir.toString()));
    if (result.exitCode() != 0) {
      throw new IllegalStateException("kubectl kustomize " + dir + " failed:\n" + result.stderr());
    }
    return Optional.of(maps(Suite.yamlDocuments(result.stdout()), dir));
  }

  static List<Map<String, Object>> withFallback(Path dir) {
    Path file = dir.resolve("kustomization.yaml");
    if (!Files.exists(file)) {
      throw new IllegalStateException("No kustomization.yaml in " + dir);
    }
    Map<String, Object> kustomization = map(Suite.yamlDocuments(Suite.read(file)).get(0), file);
    for (String field : kustomization.keySet()) {
      if (!KNOWN_FIELDS.contains(field)) {
        throw new UnsupportedOperationException(
            file + ": the in-test renderer does not know '" + field + "'; render with kubectl");
      }
    }
    List<Map<String, Object>> documents = new ArrayList<>();
    for (Object resource : list(kustomization.get("resources"))) {
      Path path = dir.resolve(resource.toString()).normalize();
      if (Files.isDirectory(path)) {
        documents.addAll(withFallback(path));
      } else {
        documents.addAll(maps(Suite.yamlDocuments(Suite.read(path)), path));
      }
    }
    for (Object entry : list(kustomization.get("patches"))) {
      patch(documents, map(entry, file), dir);
    }
    Object namespace = kustomization.get("namespace");
    if (namespace != null) {
      for (Map<String, Object> document : documents) {
        if (!CLUSTER_SCOPED.contains(document.get("kind"))) {
          child(document, "metadata").put("namespace", namespace.toString());
        }
      }
    }
    for (Object entry : list(kustomization.get("labels"))) {
      labels(documents, map(entry, file), file);
    }
    for (Object entry : list(kustomization.get("images"))) {
      images(documents, map(entry, file), file);
    }
    return documents;
  }

  /**
   * An {@code images} entry: the containers whose image has that name take its newName, and its
   * digest or else its newTag.
   */
  private static void images(
      List<Map<String, Object>> documents, Map<String, Object> entry, Path file) {
    for (String field : entry.keySet()) {
      if (!Set.of("name", "newName", "newTag", "digest").contains(field)) {
        throw new UnsupportedOperationException(file + ": images field '" + field + "'");
      }
    }
    String name = String.valueOf(entry.get("name"));
    for (Map<String, Object> document : documents) {
      if (!POD_TEMPLATE_KINDS.contains(document.get("kind"))) {
        continue;
      }
      Map<String, Object> pod = child(child(child(document, "spec"), "template"), "spec");
      for (String key : List.of("initContainers", "containers")) {
        for (Object item : list(pod.get(key))) {
          Map<String, Object> container = map(item, file);
          String image = String.valueOf(container.get("image"));
          String withoutDigest =
              image.contains("@") ? image.substring(0, image.indexOf('@')) : image;
          int colon = withoutDigest.lastIndexOf(':');
          boolean tagged = colon > withoutDigest.lastIndexOf('/');
          String repository = tagged ? withoutDigest.substring(0, colon) : withoutDigest;
          if (!repository.equals(name)) {
            continue;
          }
          String newName =
              entry.containsKey("newName") ? entry.get("newName").toString() : repository;
          String reference =
              entry.containsKey("digest")
                  ? "@" + entry.get("digest")
                  : entry.containsKey("newTag")
                      ? ":" + entry.get("newTag")
                      : image.substring(repository.length());
          container.put("image", newName + reference);
        }
      }
    }
  }

  private static void patch(
      List<Map<String, Object>> documents, Map<String, Object> entry, Path dir) {
    if (!entry.containsKey("path") || entry.containsKey("patch") || entry.containsKey("options")) {
      throw new UnsupportedOperationException(
          dir + ": the in-test renderer applies only 'path' patches; render with kubectl");
    }
    Path file = dir.resolve(entry.get("path").toString());
    List<Object> patches = Suite.yamlDocuments(Suite.read(file));
    Map<String, Object> target =
        entry.containsKey("target") ? map(entry.get("target"), file) : Map.of();
    // Without a target each document names what it patches, so a file may hold several.
    if (patches.size() != 1 && !target.isEmpty()) {
      throw new UnsupportedOperationException(file + ": one patch per file with a target");
    }
    for (Object patch : patches) {
      patchOne(documents, map(patch, file), target, file);
    }
  }

  private static void patchOne(
      List<Map<String, Object>> documents,
      Map<String, Object> patch,
      Map<String, Object> target,
      Path file) {
    int applied = 0;
    for (Map<String, Object> document : documents) {
      if (targets(document, patch, target, file)) {
        Map<String, Object> body = new LinkedHashMap<>(patch);
        // With a target the patch's own name is only a placeholder, as in kustomize.
        body.remove("metadata");
        Map<String, Object> metadata =
            patch.get("metadata") == null ? Map.of() : map(patch.get("metadata"), file);
        Map<String, Object> rest = new LinkedHashMap<>(metadata);
        rest.remove("name");
        if (!rest.isEmpty()) {
          body.put("metadata", rest);
        }
        merge(document, body, file);
        applied++;
      }
    }
    if (applied == 0) {
      throw new IllegalStateException(file + " patches nothing");
    }
  }

  private static boolean targets(
      Map<String, Object> document,
      Map<String, Object> patch,
      Map<String, Object> target,
      Path file) {
    Map<String, Object> metadata = child(document, "metadata");
    if (target.isEmpty()) {
      Map<String, Object> patchMetadata = map(patch.get("metadata"), file);
      return Objects.equals(document.get("kind"), patch.get("kind"))
          && Objects.equals(metadata.get("name"), patchMetadata.get("name"));
    }
    for (String key : target.keySet()) {
      if (!Set.of("kind", "name", "labelSelector").contains(key)) {
        throw new UnsupportedOperationException(file + ": target field '" + key + "'");
      }
    }
    if (target.containsKey("kind") && !target.get("kind").equals(document.get("kind"))) {
      return false;
    }
    if (target.containsKey("name") && !target.get("name").equals(metadata.get("name"))) {
      return false;
    }
    if (target.containsKey("labelSelector")) {
      Map<String, Object> labels =
          metadata.get("labels") == null ? Map.of() : map(metadata.get("labels"), file);
      for (String requirement : target.get("labelSelector").toString().split(",")) {
        String[] pair = requirement.split("=", 2);
        if (pair.length != 2 || pair[0].endsWith("!")) {
          throw new UnsupportedOperationException(file + ": label selector '" + requirement + "'");
        }
        if (!pair[1].trim().equals(String.valueOf(labels.get(pair[0].trim())))) {
          return false;
        }
      }
    }
    return true;
  }

  @SuppressWarnings("unchecked")
  private static void merge(Map<String, Object> into, Map<String, Object> patch, Path file) {
    for (Map.Entry<String, Object> entry : patch.entrySet()) {
      String key = entry.getKey();
      Object value = entry.getValue();
      if (key.startsWith("$")) {
        throw new UnsupportedOperationException(file + ": directive " + key);
      }
      Object existing = into.get(key);
      if (value == null) {
        into.remove(key);
      } else if (value instanceof Map<?, ?> && existing instanceof Map<?, ?>) {
        merge((Map<String, Object>) existing, (Map<String, Object>) value, file);
      } else if (value instanceof List<?> patchList
          && existing instanceof List<?> existingList
          && MERGE_KEYS.containsKey(key)) {
        String mergeKey = MERGE_KEYS.get(key);
        List<Object> merged = new ArrayList<>(existingList);
        // As kustomize does: the patch's new items come first, in the patch's order.
        List<Object> added = new ArrayList<>();
        for (Object item : patchList) {
          Map<String, Object> patchItem = (Map<String, Object>) item;
          Optional<Object> same =
              merged.stream()
                  .filter(
                      e -> Objects.equals(((Map<?, ?>) e).get(mergeKey), patchItem.get(mergeKey)))
                  .findFirst();
          if (same.isPresent()) {
            merge((Map<String, Object>) same.get(), patchItem, file);
          } else {
            added.add(patchItem);
          }
        }
        merged.addAll(0, added);
        into.put(key, merged);
      } else {
        into.put(key, value);
      }
    }
  }

  private static void labels(
      List<Map<String, Object>> documents, Map<String, Object> entry, Path file) {
    if (Boolean.TRUE.equals(entry.get("includeSelectors")) || entry.containsKey("fields")) {
      throw new UnsupportedOperationException(
          file + ": labels with includeSelectors or fields; render with kubectl");
    }
    Map<String, Object> pairs = map(entry.get("pairs"), file);
    boolean templates = Boolean.TRUE.equals(entry.get("includeTemplates"));
    for (Map<String, Object> document : documents) {
      child(child(document, "metadata"), "labels").putAll(pairs);
      if (templates && "CronJob".equals(document.get("kind"))) {
        throw new UnsupportedOperationException(file + ": template labels of a CronJob");
      }
      if (templates && "StatefulSet".equals(document.get("kind"))) {
        for (Object claim : list(child(document, "spec").get("volumeClaimTemplates"))) {
          child(child(map(claim, file), "metadata"), "labels").putAll(pairs);
        }
      }
      if (templates && POD_TEMPLATE_KINDS.contains(document.get("kind"))) {
        child(child(child(child(document, "spec"), "template"), "metadata"), "labels")
            .putAll(pairs);
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> child(Map<String, Object> parent, String key) {
    return (Map<String, Object>)
        parent.computeIfAbsent(key, k -> new LinkedHashMap<String, Object>());
  }

  private static List<?> list(Object value) {
    return value == null ? List.of() : (List<?>) value;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object value, Path source) {
    if (!(value instanceof Map<?, ?>)) {
      throw new IllegalStateException(source + ": expected a mapping, found " + value);
    }
    return (Map<String, Object>) value;
  }

  private static List<Map<String, Object>> maps(List<Object> documents, Path source) {
    List<Map<String, Object>> maps = new ArrayList<>();
    for (Object document : documents) {
      maps.add(map(document, source));
    }
    return maps;
  }
}
