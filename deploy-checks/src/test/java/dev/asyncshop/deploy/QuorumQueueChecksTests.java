package dev.asyncshop.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QuorumQueueChecksTests {

  private static List<String> problems(List<Map<String, Object>> documents) {
    return QuorumQueueChecks.problems(
        new ManifestChecks(documents, Suite.services(), MessageContract.read(), true));
  }

  private static List<Map<String, Object>> prod() {
    return KubernetesManifestsTests.deepCopy(
        KubernetesManifestsTests.rendering("prod").documents());
  }

  @Test
  void everyServiceDeclaresQuorumQueuesOnTheThreeNodeCluster() {
    assertThat(problems(prod())).isEmpty();
  }

  @Test
  @SuppressWarnings("unchecked")
  void catchesClassicQueuesOnAThreeNodeCluster() {
    List<Map<String, Object>> documents = prod();
    documents.stream()
        .filter(d -> "ConfigMap".equals(d.get("kind")))
        .map(d -> (Map<String, Object>) d.get("data"))
        .filter(data -> data != null)
        .forEach(data -> data.remove(QuorumQueueChecks.QUEUE_TYPE));

    assertThat(problems(documents))
        .hasSize(4)
        .allSatisfy(p -> assertThat(p).contains("declares classic queues on the 3-node"));
  }
}
