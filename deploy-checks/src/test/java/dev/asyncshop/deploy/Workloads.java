package dev.asyncshop.deploy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a rendered overlay says about a Deployment beyond its own manifest: how many pods it may run
 * at once (its autoscaler's ceiling plus the rollout's surge) and the environment its container
 * sees.
 */
final class Workloads {

  /** KEDA's default maxReplicaCount. */
  static final int KEDA_DEFAULT_MAX = 100;

  /** A value that comes from a Secret, which the checks cannot read. */
  private final ManifestChecks manifests;

  Workloads(ManifestChecks manifests) {
    this.manifests = manifests;
  }

  /** The autoscaler's ceiling, or the Deployment's own replicas (1 when unset). */
  int maxReplicas(Deployment deployment) {
    String name = deployment.getMetadata().getName();
    for (HorizontalPodAutoscaler hpa : manifests.all(HorizontalPodAutoscaler.class)) {
      if (name.equals(hpa.getSpec().getScaleTargetRef().getName())) {
        return hpa.getSpec().getMaxReplicas();
      }
    }
    for (GenericKubernetesResource scaled : manifests.custom("ScaledObject")) {
      Map<?, ?> spec = (Map<?, ?>) scaled.getAdditionalProperties().get("spec");
      Map<?, ?> target = spec == null ? Map.of() : (Map<?, ?>) spec.get("scaleTargetRef");
      if (target != null && name.equals(target.get("name"))) {
        Object max = spec.get("maxReplicaCount");
        return max == null ? KEDA_DEFAULT_MAX : Integer.parseInt(max.toString());
      }
    }
    Integer replicas = deployment.getSpec().getReplicas();
    return replicas == null ? 1 : replicas;
  }

  /** The autoscaler's floor, or the Deployment's own replicas (1 when unset). */
  int minReplicas(Deployment deployment) {
    String name = deployment.getMetadata().getName();
    for (HorizontalPodAutoscaler hpa : manifests.all(HorizontalPodAutoscaler.class)) {
      if (name.equals(hpa.getSpec().getScaleTargetRef().getName())) {
        return hpa.getSpec().getMinReplicas() == null ? 1 : hpa.getSpec().getMinReplicas();
      }
    }
    for (GenericKubernetesResource scaled : manifests.custom("ScaledObject")) {
      Map<?, ?> spec = (Map<?, ?>) scaled.getAdditionalProperties().get("spec");
      Map<?, ?> target = spec == null ? Map.of() : (Map<?, ?>) spec.get("scaleTargetRef");
      if (target != null && name.equals(target.get("name"))) {
        Object min = spec.get("minReplicaCount");
        return min == null ? 0 : Integer.parseInt(min.toString());
      }
    }
    Integer replicas = deployment.getSpec().getReplicas();
    return replicas == null ? 1 : replicas;
  }

  /**
   * The most pods a Deployment runs at once: its ceiling plus the rolling update's surge, because a
   * rollout at the ceiling starts new pods before it stops old ones.
   */
  int peakPods(Deployment deployment) {
    int max = maxReplicas(deployment);
    var strategy = deployment.getSpec().getStrategy();
    if (strategy != null && "Recreate".equals(strategy.getType())) {
      return max;
    }
    IntOrString surge =
        strategy == null || strategy.getRollingUpdate() == null
            ? null
            : strategy.getRollingUpdate().getMaxSurge();
    if (surge == null) {
      surge = new IntOrString("25%");
    }
    if (surge.getIntVal() != null) {
      return max + surge.getIntVal();
    }
    int percent = Integer.parseInt(surge.getStrVal().replace("%", "").trim());
    return max + (int) Math.ceil(max * percent / 100.0);
  }

  /** The first container's environment: {@link ManifestChecks#environmentValues}. */
  Map<String, String> environment(Deployment deployment) {
    return manifests.environmentValues(deployment);
  }

  Optional<ConfigMap> configMap(String name) {
    return manifests.configMap(name);
  }

  Optional<Deployment> deployment(String name) {
    return manifests.all(Deployment.class).stream()
        .filter(d -> d.getMetadata().getName().equals(name))
        .findFirst();
  }

  /** A custom resource's spec, or an empty map. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> spec(GenericKubernetesResource resource) {
    Object spec = resource.getAdditionalProperties().get("spec");
    return spec == null ? Map.of() : (Map<String, Object>) spec;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> child(Map<String, Object> parent, String key) {
    Object value = parent == null ? null : parent.get(key);
    return value instanceof Map<?, ?> ? (Map<String, Object>) value : Map.of();
  }

  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> children(Map<String, Object> parent, String key) {
    Object value = parent == null ? null : parent.get(key);
    return value instanceof List<?> ? (List<Map<String, Object>>) value : List.of();
  }
}
