package dev.asyncshop.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.asyncshop.deploy.BrokerNeeds.Traffic;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The broker users of {@code deploy/broker-users/permissions.conf} against what the services'
 * AsyncAPI documents say they send and receive: each may do exactly what its routes need; and the
 * Kubernetes copies of the rules say the same.
 */
class BrokerPermissionsTests {

  @Test
  void everyServiceMayDoWhatItsRoutesNeedAndNothingMore() {
    assertThat(BrokerPermissions.read().problems(needs())).isEmpty();
  }

  @Test
  void theObserversOnlyWatchWhatTheServicesPublish() {
    assertThat(Observers.redisProblems(traffic().published())).isEmpty();
    assertThat(BrokerPermissions.read().redis()).containsKey("ops-console");
    assertThat(BrokerPermissions.read().rabbitMq()).doesNotContainKey("ops-console");
  }

  @Test
  void anObserverGrantedMoreOrOnRabbitMqIsReported() {
    String text =
        Suite.read(BrokerPermissions.FILE)
                .replace(
                    "&{prefix}orders.status +subscribe +unsubscribe",
                    "&{prefix}orders.status +subscribe +unsubscribe +publish")
            + "ops-console  rabbitmq  read  ^{prefix}payment\\.authorize\\.dlq$\n";

    assertThat(BrokerPermissions.parse(text).problems(needs()))
        .anySatisfy(p -> assertThat(p).startsWith("ops-console's Redis ACL is"))
        .anySatisfy(
            p -> assertThat(p).startsWith("ops-console is an observer but has RabbitMQ rules"));
    assertThat(
            BrokerPermissions.parse(
                    Suite.read(BrokerPermissions.FILE).replaceAll("(?m)^ops-console .*$", ""))
                .problems(needs()))
        .anySatisfy(p -> assertThat(p).startsWith("ops-console's Redis ACL is []"));
  }

  @Test
  void aPermissionBeyondTheRoutesIsReported() {
    String text =
        Suite.read(BrokerPermissions.FILE)
            .replace(
                "payment-service    rabbitmq  write      ^{prefix}(payment\\.authorize|payment\\.refund)(|\\.dlx|\\.dlq|\\.security\\.dlq)$",
                "payment-service    rabbitmq  write      ^{prefix}.*$")
            .replace(
                "&{prefix}inventory.stock +publish",
                "&{prefix}inventory.stock &{prefix}orders.status +publish");

    assertThat(BrokerPermissions.parse(text).problems(needs()))
        .contains(
            "payment-service may write 'amq.default', which its routes do not need (^.*$)",
            "payment-service may write 'inventory.reserve.exchange', which its routes do not need (^.*$)",
            "inventory-service's Redis ACL grants '&orders.status', which it does not need");
  }

  @Test
  void aRouteWithoutItsPermissionIsReported() {
    String text =
        Suite.read(BrokerPermissions.FILE)
            .replace("|shipping\\.schedule|", "|")
            .replace(" +xadd", "");

    assertThat(BrokerPermissions.parse(text).problems(needs()))
        .contains(
            "order-service may not write 'shipping.schedule.exchange', which its routes need"
                + " (^((inventory\\.reserve|inventory\\.release|payment\\.authorize|payment\\.refund|shipping\\.quote)\\.exchange|order-service\\.replies\\.[0-9a-f-]{36})$)",
            "order-service's Redis ACL lacks '+xadd', which it needs");
  }

  @Test
  void theRulesAreReadFromTheDocumentsAsTheLibraryUsesThem() {
    BrokerNeeds order = needs().get("order-service");
    assertThat(order.write())
        .contains("inventory.reserve.exchange", "shipping.quote.exchange")
        .doesNotContain("amq.default", "inventory.reserve");
    assertThat(needs().get("shipping-service").write()).contains("order-service.replies");
    assertThat(needs().get("payment-service").redis())
        .containsExactlyInAnyOrder("+hello", "+ping", "+info");
  }

  @Test
  @SuppressWarnings("unchecked")
  void theKubernetesJobAppliesTheSameRules() {
    Map<String, Object> configMap =
        (Map<String, Object>)
            Suite.yamlDocuments(Suite.read(Suite.ROOT.resolve("k8s/dev/broker-users.yaml"))).get(0);
    Map<String, String> data = (Map<String, String>) configMap.get("data");
    assertThat(data.get("permissions.conf"))
        .as(
            "k8s/dev/broker-users.yaml holds a copy of deploy/broker-users/permissions.conf"
                + " (kustomize reads no file outside k8s/): copy it again")
        .isEqualTo(Suite.read(BrokerPermissions.FILE));
    assertThat(data.get("apply"))
        .as("k8s/dev/broker-users.yaml holds a copy of deploy/broker-users/apply: copy it again")
        .isEqualTo(Suite.read(Suite.ROOT.resolve("deploy/broker-users/apply")));
  }

  @Test
  @SuppressWarnings("unchecked")
  void theOperatorsPermissionsInProdAreTheRules() {
    BrokerPermissions rules = BrokerPermissions.read();
    Map<String, Map<String, String>> prod = new TreeMap<>();
    for (Object document :
        Suite.yamlDocuments(Suite.read(Suite.ROOT.resolve("k8s/prod/broker-users.yaml")))) {
      Map<String, Object> resource = (Map<String, Object>) document;
      if (!"Permission".equals(resource.get("kind"))) {
        continue;
      }
      Map<String, Object> spec = (Map<String, Object>) resource.get("spec");
      String user = String.valueOf(((Map<String, Object>) spec.get("userReference")).get("name"));
      prod.put(user, (Map<String, String>) spec.get("permissions"));
    }
    assertThat(prod).isEqualTo(new TreeMap<>(rules.rabbitMq()));
  }

  static Map<String, BrokerNeeds> needs() {
    Map<String, String> stores =
        Suite.services().values().stream()
            .collect(
                Collectors.toMap(
                    ServiceConfig::name,
                    service ->
                        String.valueOf(
                            service
                                .properties()
                                .getOrDefault("messaging.idempotency.store", "redis"))));
    return BrokerNeeds.of(traffic(), stores);
  }

  @SuppressWarnings("unchecked")
  static Traffic traffic() {
    Traffic traffic = Traffic.empty();
    for (Path file : documents()) {
      Map<String, Object> document =
          (Map<String, Object>) Suite.yamlDocuments(Suite.read(file)).get(0);
      String service = String.valueOf(((Map<String, Object>) document.get("info")).get("title"));
      Map<String, Object> channels = (Map<String, Object>) document.get("channels");
      for (Object value : ((Map<String, Object>) document.get("operations")).values()) {
        Map<String, Object> operation = (Map<String, Object>) value;
        String ref = String.valueOf(((Map<String, Object>) operation.get("channel")).get("$ref"));
        Map<String, Object> channel =
            (Map<String, Object>) channels.get(ref.substring(ref.lastIndexOf('/') + 1));
        String address = String.valueOf(channel.get("address"));
        boolean receive = "receive".equals(operation.get("action"));
        switch (String.valueOf(channel.get("x-transport"))) {
          case "rabbitmq" -> {
            (receive ? traffic.consumedQueues() : traffic.sentQueues())
                .computeIfAbsent(service, s -> new TreeSet<>())
                .add(address);
            if (operation.containsKey("reply")) {
              traffic.queries().add(address);
            }
          }
          case "redis" ->
              (receive ? traffic.subscribed() : traffic.published())
                  .computeIfAbsent(service, s -> new TreeSet<>())
                  .add(address);
          default -> {}
        }
      }
    }
    return traffic;
  }

  private static List<Path> documents() {
    try (Stream<Path> files = Files.list(MessageContract.DOCUMENTS)) {
      return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Set<String> services() {
    return needs().keySet();
  }
}
