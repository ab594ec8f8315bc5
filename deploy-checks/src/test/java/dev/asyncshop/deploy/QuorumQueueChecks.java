package dev.asyncshop.deploy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Queue type against the RabbitMQ cluster's size: on a cluster of three nodes or more every service
 * declares quorum queues, whose copies outlive a node, where classic queues live on one node and go
 * with it. It must hold before the first deploy: a queue's type cannot change later (a
 * redeclaration fails with PRECONDITION_FAILED), so a fleet that started classic stays classic.
 */
final class QuorumQueueChecks {

  /** The setting common-messaging reads, as the environment variable a Deployment sets it by. */
  static final String QUEUE_TYPE = "MESSAGING_RABBITMQ_QUEUETYPE";

  private QuorumQueueChecks() {}

  @SuppressWarnings("unchecked")
  static List<String> problems(ManifestChecks manifests) {
    List<String> problems = new ArrayList<>();
    for (GenericKubernetesResource cluster : manifests.custom("RabbitmqCluster")) {
      Map<String, Object> spec =
          (Map<String, Object>) cluster.getAdditionalProperties().get("spec");
      int nodes = spec.get("replicas") instanceof Number n ? n.intValue() : 1;
      if (nodes < 3) {
        continue;
      }
      for (Deployment service : manifests.serviceDeployments()) {
        String type = manifests.environmentValues(service).getOrDefault(QUEUE_TYPE, "classic");
        if (!"quorum".equalsIgnoreCase(type)) {
          problems.add(
              "Deployment/%s: declares %s queues on the %d-node RabbitmqCluster/%s; set %s=quorum"
                      .formatted(
                          service.getMetadata().getName(),
                          type,
                          nodes,
                          cluster.getMetadata().getName(),
                          QUEUE_TYPE)
                  + " before the first deploy (a queue's type cannot change later)");
        }
      }
    }
    return problems;
  }
}
