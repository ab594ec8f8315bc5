package dev.asyncshop.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Kafka users and ACLs (Compose's {@code deploy/kafka/acls.txt} and prod's {@code KafkaUser}s)
 * against the services' AsyncAPI documents, and TLS on every broker connection of {@code k8s/prod},
 * with no cluster: see {@link BrokerSecurityChecks}.
 */
class BrokerSecurityTests {

  private static BrokerSecurityChecks checks(
      List<Map<String, Object>> documents, Map<String, Set<KafkaAccess.Grant>> compose) {
    return new BrokerSecurityChecks(
        new ManifestChecks(documents, Suite.services(), MessageContract.read(), true),
        Suite.services(),
        MessageContract.read(),
        compose);
  }

  private static List<Map<String, Object>> prod() {
    return KubernetesManifestsTests.rendering("prod").documents();
  }

  @Test
  void everyServiceIsGrantedExactlyItsTopicsAndEveryBrokerConnectionOfProdIsTls() {
    assertThat(checks(prod(), KafkaAccess.read()).problems()).isEmpty();
  }

  @Test
  void theGrantsFollowTheAsyncApiDocuments() {
    BrokerSecurityChecks checks = checks(prod(), KafkaAccess.read());
    assertThat(checks.expectedGrants("order-service"))
        .contains(
            new KafkaAccess.Grant("topic", "orders.events", "Write"),
            new KafkaAccess.Grant("topic", "inventory.events", "Read"),
            new KafkaAccess.Grant("topic", "inventory.events.dlt", "Write"),
            new KafkaAccess.Grant("topic", "inventory.events.security.dlt", "Write"),
            new KafkaAccess.Grant("group", "order-service", "Read"),
            new KafkaAccess.Grant("topic", "audit.events", "Write"));
    assertThat(checks.expectedGrants("payment-service"))
        .containsExactlyInAnyOrder(
            new KafkaAccess.Grant("topic", "payments.events", "Write"),
            new KafkaAccess.Grant("topic", "audit.events", "Write"));
  }

  // ---- the checks catch what they claim to

  @Test
  void catchesAComposeGrantOnAnotherServicesTopic() {
    String text =
        Suite.read(KafkaAccess.FILE) + "\ninventory-service topic payments.events Write\n";
    assertThat(checks(prod(), KafkaAccess.parse(text)).problems())
        .anySatisfy(p -> assertThat(p).contains("acls.txt: inventory-service is granted"));
  }

  @Test
  @SuppressWarnings("unchecked")
  void catchesAnObserverThatJoinsAGroupOrIsNotGrantedAlike() {
    String text = Suite.read(KafkaAccess.FILE) + "\nops-console topic orders.events Read\n";
    assertThat(checks(prod(), KafkaAccess.parse(text)).problems())
        .anySatisfy(p -> assertThat(p).contains("acls.txt: the observer ops-console is granted"));
    assertCaught(
        named(
            "KafkaUser",
            "ops-console",
            u -> acls(u).add(acl("group", "ops-console", "literal", "Read"))),
        "KafkaUser/ops-console: grants");
    assertCaught(
        named(
            "Deployment",
            "ops-console",
            d -> {
              Map<String, Object> pod = child(child(d, "spec"), "template");
              Map<String, Object> container =
                  ((List<Map<String, Object>>) child(pod, "spec").get("containers")).get(0);
              ((List<Map<String, Object>>) container.get("env"))
                  .removeIf(e -> "SPRING_KAFKA_PROPERTIES_SASL_JAAS_CONFIG".equals(e.get("name")));
            }),
        "Deployment/ops-console: does not log in to Kafka as its own KafkaUser ops-console");
    String stranger = Suite.read(KafkaAccess.FILE) + "\nops-tool topic audit.events Read\n";
    assertThat(checks(prod(), KafkaAccess.parse(stranger)).problems())
        .contains("deploy/kafka/acls.txt: ops-tool is no service and no known observer");
  }

  @Test
  void catchesAnOrdersEventsTopicThatDoesNotKeepItsEventsForever() {
    assertCaught(
        named("KafkaTopic", "orders.events", t -> child(child(t, "spec"), "config").clear()),
        "KafkaTopic/orders.events: retention.ms null, but its routes keep records forever");
    assertCaught(
        named(
            "KafkaTopic",
            "orders.events",
            t -> child(child(t, "spec"), "config").put("retention.ms", 604800000)),
        "KafkaTopic/orders.events: retention.ms 604800000");
  }

  @Test
  void catchesAComposeFileThatMissesAConsumedTopic() {
    String text =
        Suite.read(KafkaAccess.FILE)
            .replace("order-service      topic  shipping.events       Read\n", "");
    assertThat(checks(prod(), KafkaAccess.parse(text)).problems())
        .anySatisfy(p -> assertThat(p).contains("acls.txt: order-service is granted"));
  }

  @Test
  void catchesAKafkaUserWithAWildcardOrAnotherServicesTopic() {
    assertCaught(
        named(
            "KafkaUser",
            "shipping-service",
            u -> acls(u).add(acl("topic", "orders", "prefix", "Write"))),
        "grants on prefix orders");
    assertCaught(
        named(
            "KafkaUser",
            "shipping-service",
            u -> acls(u).add(acl("topic", "inventory.events", "literal", "Write"))),
        "KafkaUser/shipping-service: grants");
  }

  @Test
  void catchesAPlaintextKafkaListenerOrClient() {
    assertCaught(
        named(
            "Kafka",
            "kafka",
            k -> {
              Map<String, Object> kafka = child(child(k, "spec"), "kafka");
              ((List<Map<String, Object>>) kafka.get("listeners")).get(0).put("tls", false);
            }),
        "listener tls is not TLS");
    assertCaught(
        named(
            "ConfigMap",
            "asyncshop-brokers",
            c -> child(c, "data").put("SPRING_KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT")),
        "Kafka without TLS");
  }

  @Test
  void catchesRedisRabbitMqOrPostgresWithoutVerifiedTls() {
    assertCaught(
        named(
            "ConfigMap",
            "asyncshop-brokers",
            c -> child(c, "data").remove("SPRING_DATA_REDIS_SSL_ENABLED")),
        "Redis without TLS");
    assertCaught(
        named(
            "ConfigMap",
            "asyncshop-brokers",
            c -> child(c, "data").put("SPRING_RABBITMQ_PORT", "5672")),
        "RabbitMQ without TLS on 5671");
    assertCaught(
        named(
            "ConfigMap",
            "payment-service-config",
            c ->
                child(c, "data")
                    .put("SPRING_DATASOURCE_URL", "jdbc:postgresql://db.example:5432/payments")),
        "PostgreSQL without sslmode=verify-full");
    assertCaught(
        named(
            "Deployment",
            "order-service",
            d -> {
              Map<String, Object> pod = child(child(d, "spec"), "template");
              ((List<Map<String, Object>>) child(pod, "spec").get("volumes"))
                  .removeIf(v -> "platform-ca".equals(v.get("name")));
            }),
        "is in no mounted Secret or ConfigMap");
  }

  @Test
  void catchesAnAutoscalerThatQueriesKafkaWithoutTls() {
    assertCaught(
        named("ConfigMap", "asyncshop-keda", c -> child(c, "data").put("tls", "disable")),
        "TriggerAuthentication/kafka-keda: no TLS");
  }

  private static void assertCaught(Consumer<List<Map<String, Object>>> breakIt, String expected) {
    List<Map<String, Object>> copy = KubernetesManifestsTests.deepCopy(prod());
    breakIt.accept(copy);
    assertThat(checks(copy, KafkaAccess.read()).problems())
        .anySatisfy(p -> assertThat(p).contains(expected));
  }

  private static Consumer<List<Map<String, Object>>> named(
      String kind, String name, Consumer<Map<String, Object>> change) {
    return documents ->
        change.accept(
            documents.stream()
                .filter(
                    d ->
                        kind.equals(d.get("kind")) && name.equals(child(d, "metadata").get("name")))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no " + kind + "/" + name)));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> child(Map<String, Object> map, String key) {
    return (Map<String, Object>) map.get(key);
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> acls(Map<String, Object> user) {
    return (List<Map<String, Object>>) child(child(user, "spec"), "authorization").get("acls");
  }

  private static Map<String, Object> acl(
      String type, String name, String pattern, String operation) {
    return new java.util.LinkedHashMap<>(
        Map.of(
            "resource",
            Map.of("type", type, "name", name, "patternType", pattern),
            "operations",
            List.of(operation)));
  }
}
