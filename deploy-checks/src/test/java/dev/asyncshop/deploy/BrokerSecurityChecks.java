package dev.asyncshop.deploy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Who may do what on Kafka, and how every service reaches its brokers, in a rendered production
 * overlay: each service's Kafka grants, in {@code deploy/kafka/acls.txt} (Compose) and in its
 * {@code KafkaUser}, are exactly what its AsyncAPI document says it publishes and consumes; and
 * every connection to Kafka, RabbitMQ, Redis and PostgreSQL is TLS with a certificate checked
 * against a mounted CA.
 */
final class BrokerSecurityChecks {

  /** The audit trail's topic, {@code messaging.audit.topic}'s default. */
  static final String AUDIT_TOPIC = "audit.events";

  /** Where the secret value of an environment variable comes from: {@code secret:name/key}. */
  private static final String SECRET = ManifestChecks.SECRET;

  private final ManifestChecks manifests;
  private final Map<String, ServiceConfig> services;
  private final MessageContract contract;
  private final Map<String, Set<KafkaAccess.Grant>> compose;
  private final List<String> problems = new ArrayList<>();

  BrokerSecurityChecks(
      ManifestChecks manifests,
      Map<String, ServiceConfig> services,
      MessageContract contract,
      Map<String, Set<KafkaAccess.Grant>> compose) {
    this.manifests = manifests;
    this.services = services;
    this.contract = contract;
    this.compose = compose;
  }

  List<String> problems() {
    problems.clear();
    checkKafkaGrants();
    checkKafkaCluster();
    manifests.serviceDeployments().forEach(this::checkConnections);
    manifests.consoleDeployments().forEach(this::checkObserverConnections);
    checkRabbitMqCluster();
    checkAutoscalerConnections();
    manifests.all(NetworkPolicy.class).forEach(this::checkNoPlaintextPort);
    return List.copyOf(problems);
  }

  /** The grants a service needs, from its AsyncAPI document and its audit settings. */
  Set<KafkaAccess.Grant> expectedGrants(String service) {
    Set<KafkaAccess.Grant> grants = new TreeSet<>();
    for (String topic : contract.published().getOrDefault(service, Set.of())) {
      grants.add(new KafkaAccess.Grant("topic", topic, "Write"));
    }
    Set<String> read = new TreeSet<>(contract.topics().getOrDefault(service, Set.of()));
    // A local table reads by assigning itself the partitions: the topic's Read, and no group.
    read.addAll(contract.tables().getOrDefault(service, Set.of()));
    for (String topic : read) {
      grants.add(new KafkaAccess.Grant("topic", topic, "Read"));
      // Its dead letters and security dead letters (KafkaSubscriber.deadLetterTopic and
      // securityDeadLetterTopic).
      grants.add(new KafkaAccess.Grant("topic", topic + ".dlt", "Write"));
      grants.add(new KafkaAccess.Grant("topic", topic + ".security.dlt", "Write"));
      // ...which its parking lot reads back (KafkaDeadLetterIntake), in a group of its own.
      grants.add(new KafkaAccess.Grant("topic", topic + ".dlt", "Read"));
      grants.add(new KafkaAccess.Grant("topic", topic + ".security.dlt", "Read"));
    }
    // A projection reads by assigning itself the partitions too, and parks what it cannot apply in
    // the service's database: the topic's Read, and no dead-letter topic.
    for (String topic : contract.projections().getOrDefault(service, Set.of())) {
      grants.add(new KafkaAccess.Grant("topic", topic, "Read"));
    }
    if (contract.groups().containsKey(service)) {
      grants.add(new KafkaAccess.Grant("group", contract.groups().get(service), "Read"));
      grants.add(
          new KafkaAccess.Grant("group", contract.groups().get(service) + ".parking-lot", "Read"));
    }
    ServiceConfig config = services.get(service);
    boolean audit =
        config == null
            || !"false".equals(String.valueOf(config.properties().get("messaging.audit.kafka")));
    if (audit && !grants.isEmpty()) {
      Object topic = config == null ? null : config.properties().get("messaging.audit.topic");
      grants.add(
          new KafkaAccess.Grant("topic", topic == null ? AUDIT_TOPIC : topic.toString(), "Write"));
    }
    // The service that keeps the audit-trail projection reads the whole audit topic, by assignment.
    if (config != null
        && "true"
            .equals(
                String.valueOf(
                    config.properties().get("messaging.projections.audit-trail.enabled")))) {
      Object topic = config.properties().get("messaging.audit.topic");
      grants.add(
          new KafkaAccess.Grant("topic", topic == null ? AUDIT_TOPIC : topic.toString(), "Read"));
    }
    return grants;
  }

  // ---- Kafka users and ACLs

  private void checkKafkaGrants() {
    Map<String, Set<KafkaAccess.Grant>> prod = new TreeMap<>();
    for (GenericKubernetesResource user : manifests.custom("KafkaUser")) {
      prod.put(user.getMetadata().getName(), kafkaUserGrants(user));
    }
    Set<String> topics = new TreeSet<>();
    manifests.custom("KafkaTopic").forEach(t -> topics.add(topicName(t)));
    for (GenericKubernetesResource topic : manifests.custom("KafkaTopic")) {
      boolean compacted = "compact".equals(cleanupPolicy(topic));
      if (compacted != contract.compacted().contains(topicName(topic))) {
        problems.add(
            "KafkaTopic/"
                + topicName(topic)
                + (compacted
                    ? ": compacted, but no route of the AsyncAPI documents says so"
                    : ": its route is compacted; set config.cleanup.policy: compact"));
      }
      Long routed = contract.retention().get(topicName(topic));
      Object retention = topicConfig(topic).get("retention.ms");
      if (routed != null && !(retention instanceof Number millis && millis.longValue() == routed)) {
        problems.add(
            "KafkaTopic/"
                + topicName(topic)
                + ": retention.ms "
                + retention
                + ", but its routes keep records "
                + (routed == -1 ? "forever" : "for " + routed + " ms")
                + "; set config.retention.ms: "
                + routed);
      }
    }
    for (String service : services.keySet()) {
      Set<KafkaAccess.Grant> expected = expectedGrants(service);
      Set<KafkaAccess.Grant> inCompose = compose.getOrDefault(service, Set.of());
      if (!inCompose.equals(expected)) {
        problems.add(
            "deploy/kafka/acls.txt: "
                + service
                + " is granted "
                + inCompose
                + ", but its AsyncAPI document needs exactly "
                + expected);
      }
      Set<KafkaAccess.Grant> inProd = prod.get(service);
      if (!expected.isEmpty() && !expected.equals(inProd)) {
        problems.add(
            "KafkaUser/"
                + service
                + ": grants "
                + inProd
                + ", but its AsyncAPI document needs exactly "
                + expected);
      }
      expected.stream()
          .filter(g -> g.type().equals("topic") && !topics.contains(g.name()))
          .forEach(
              g -> problems.add("KafkaTopic/" + g.name() + ": missing; " + service + " uses it"));
    }
    compose.keySet().stream()
        .filter(user -> !services.containsKey(user) && !Observers.isObserver(user))
        .forEach(
            user ->
                problems.add(
                    "deploy/kafka/acls.txt: " + user + " is no service and no known observer"));
    for (Observers.Observer observer : Observers.ALL.values()) {
      Set<KafkaAccess.Grant> inCompose = compose.getOrDefault(observer.user(), Set.of());
      if (!inCompose.equals(observer.kafka())) {
        problems.add(
            "deploy/kafka/acls.txt: the observer "
                + observer.user()
                + " is granted "
                + inCompose
                + ", but its grants are fixed: "
                + observer.kafka());
      }
      if (!observer.kafka().equals(prod.get(observer.user()))) {
        problems.add(
            "KafkaUser/"
                + observer.user()
                + ": grants "
                + prod.get(observer.user())
                + ", but the observer's grants are fixed: "
                + observer.kafka());
      }
      observer.kafka().stream()
          .filter(g -> g.type().equals("topic") && !topics.contains(g.name()))
          .forEach(
              g ->
                  problems.add(
                      "KafkaTopic/" + g.name() + ": missing; " + observer.user() + " reads it"));
    }
    Set<String> written = new TreeSet<>();
    for (String service : services.keySet()) {
      expectedGrants(service).stream()
          .filter(g -> g.type().equals("topic") && g.operation().equals("Write"))
          .forEach(g -> written.add(g.name()));
    }
    Observers.kafkaProblems(written).stream().map(p -> "observer " + p).forEach(problems::add);
    Set<KafkaAccess.Grant> lagReader = lagReaderGrants();
    prod.forEach(
        (user, grants) -> {
          if (!services.containsKey(user)
              && !Observers.isObserver(user)
              && !lagReader.equals(grants)) {
            problems.add(
                "KafkaUser/"
                    + user
                    + ": grants "
                    + grants
                    + ", but only services, observers and KEDA's lag reader ("
                    + lagReader
                    + ") have users");
          }
        });
  }

  /** What KEDA's Kafka triggers read: the consumer groups' offsets and their topics' ends. */
  @SuppressWarnings("unchecked")
  private Set<KafkaAccess.Grant> lagReaderGrants() {
    Set<KafkaAccess.Grant> grants = new TreeSet<>();
    for (GenericKubernetesResource scaled : manifests.custom("ScaledObject")) {
      Map<String, Object> spec = (Map<String, Object>) scaled.getAdditionalProperties().get("spec");
      for (Map<String, Object> trigger :
          (List<Map<String, Object>>) spec.getOrDefault("triggers", List.of())) {
        if ("kafka".equals(trigger.get("type"))) {
          Map<String, Object> metadata = (Map<String, Object>) trigger.get("metadata");
          grants.add(new KafkaAccess.Grant("topic", (String) metadata.get("topic"), "Describe"));
          grants.add(
              new KafkaAccess.Grant("group", (String) metadata.get("consumerGroup"), "Describe"));
        }
      }
    }
    return grants;
  }

  @SuppressWarnings("unchecked")
  private Set<KafkaAccess.Grant> kafkaUserGrants(GenericKubernetesResource user) {
    Map<String, Object> spec =
        (Map<String, Object>) user.getAdditionalProperties().getOrDefault("spec", Map.of());
    String name = "KafkaUser/" + user.getMetadata().getName();
    Map<String, Object> authentication =
        (Map<String, Object>) spec.getOrDefault("authentication", Map.of());
    if (!"scram-sha-512".equals(authentication.get("type"))) {
      problems.add(name + ": authenticates with " + authentication.get("type") + ", not SCRAM");
    }
    Map<String, Object> authorization =
        (Map<String, Object>) spec.getOrDefault("authorization", Map.of());
    Set<KafkaAccess.Grant> grants = new TreeSet<>();
    for (Map<String, Object> acl :
        (List<Map<String, Object>>) authorization.getOrDefault("acls", List.of())) {
      Map<String, Object> resource = (Map<String, Object>) acl.get("resource");
      Object pattern = resource.getOrDefault("patternType", "literal");
      String resourceName = String.valueOf(resource.get("name"));
      if (!"literal".equals(pattern) || resourceName.contains("*")) {
        problems.add(
            name + ": grants on " + pattern + " " + resourceName + ", not one literal name");
      }
      if (!"allow".equals(String.valueOf(acl.getOrDefault("type", "allow")))
          || !"*".equals(String.valueOf(acl.getOrDefault("host", "*")))) {
        problems.add(name + ": an ACL other than allow from any host");
      }
      for (Object operation : (List<Object>) acl.getOrDefault("operations", List.of())) {
        grants.add(
            new KafkaAccess.Grant(
                String.valueOf(resource.get("type")), resourceName, String.valueOf(operation)));
      }
    }
    return grants;
  }

  private static Object cleanupPolicy(GenericKubernetesResource topic) {
    return topicConfig(topic).get("cleanup.policy");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> topicConfig(GenericKubernetesResource topic) {
    Map<String, Object> spec =
        (Map<String, Object>) topic.getAdditionalProperties().getOrDefault("spec", Map.of());
    return (Map<String, Object>) spec.getOrDefault("config", Map.of());
  }

  @SuppressWarnings("unchecked")
  private static String topicName(GenericKubernetesResource topic) {
    Map<String, Object> spec =
        (Map<String, Object>) topic.getAdditionalProperties().getOrDefault("spec", Map.of());
    return String.valueOf(spec.getOrDefault("topicName", topic.getMetadata().getName()));
  }

  // ---- TLS

  @SuppressWarnings("unchecked")
  private void checkKafkaCluster() {
    for (GenericKubernetesResource kafka : manifests.custom("Kafka")) {
      Map<String, Object> spec =
          (Map<String, Object>)
              ((Map<String, Object>) kafka.getAdditionalProperties().get("spec")).get("kafka");
      for (Map<String, Object> listener :
          (List<Map<String, Object>>) spec.getOrDefault("listeners", List.of())) {
        if (!Boolean.TRUE.equals(listener.get("tls"))) {
          problems.add(
              "Kafka/"
                  + kafka.getMetadata().getName()
                  + ": listener "
                  + listener.get("name")
                  + " is not TLS");
        }
        if (listener.get("authentication") == null) {
          problems.add(
              "Kafka/"
                  + kafka.getMetadata().getName()
                  + ": listener "
                  + listener.get("name")
                  + " lets clients in unauthenticated");
        }
      }
      Map<String, Object> authorization = (Map<String, Object>) spec.get("authorization");
      if (authorization == null || !"simple".equals(authorization.get("type"))) {
        problems.add("Kafka/" + kafka.getMetadata().getName() + ": no ACL authorization");
      }
      Map<String, Object> config = (Map<String, Object>) spec.getOrDefault("config", Map.of());
      if (!Boolean.FALSE.equals(config.get("auto.create.topics.enable"))) {
        problems.add(
            "Kafka/" + kafka.getMetadata().getName() + ": clients may create topics by writing");
      }
    }
  }

  /** Kafka, RabbitMQ, Redis and PostgreSQL of one service: TLS, and a CA it has mounted. */
  private void checkConnections(Deployment deployment) {
    Map<String, String> env = checkKafkaAndRedisConnections(deployment);
    String where = "Deployment/" + deployment.getMetadata().getName() + ": ";
    if (!"true".equals(env.get("SPRING_RABBITMQ_SSL_ENABLED"))
        || !"5671".equals(env.get("SPRING_RABBITMQ_PORT"))) {
      problems.add(where + "RabbitMQ without TLS on 5671");
    }
    checkBundle(deployment, env, "SPRING_RABBITMQ_SSL_BUNDLE", "RabbitMQ");
    String url = env.getOrDefault("SPRING_DATASOURCE_URL", "");
    java.util.regex.Matcher root =
        java.util.regex.Pattern.compile("sslrootcert=([^&]+)").matcher(url);
    if (!url.contains("sslmode=verify-full") || !root.find()) {
      problems.add(where + "PostgreSQL without sslmode=verify-full and an sslrootcert: " + url);
    } else {
      checkMounted(deployment, root.group(1), "PostgreSQL's CA");
    }
  }

  /** An observer (the console) reaches only Kafka and Redis: TLS there, as its own Kafka user. */
  private void checkObserverConnections(Deployment deployment) {
    checkKafkaAndRedisConnections(deployment);
  }

  private Map<String, String> checkKafkaAndRedisConnections(Deployment deployment) {
    String name = deployment.getMetadata().getName();
    Map<String, String> env = manifests.environmentValues(deployment);
    String where = "Deployment/" + name + ": ";
    if (!Set.of("SSL", "SASL_SSL").contains(env.get("SPRING_KAFKA_SECURITY_PROTOCOL"))) {
      problems.add(where + "Kafka without TLS (" + env.get("SPRING_KAFKA_SECURITY_PROTOCOL") + ")");
    }
    if ("SASL_SSL".equals(env.get("SPRING_KAFKA_SECURITY_PROTOCOL"))
        && !(SECRET + name + "/sasl.jaas.config")
            .equals(env.get("SPRING_KAFKA_PROPERTIES_SASL_JAAS_CONFIG"))) {
      problems.add(where + "does not log in to Kafka as its own KafkaUser " + name);
    }
    checkBundle(deployment, env, "SPRING_KAFKA_SSL_BUNDLE", "Kafka");
    if (!"true".equals(env.get("SPRING_DATA_REDIS_SSL_ENABLED"))) {
      problems.add(where + "Redis without TLS");
    }
    checkBundle(deployment, env, "SPRING_DATA_REDIS_SSL_BUNDLE", "Redis");
    return env;
  }

  private void checkBundle(
      Deployment deployment, Map<String, String> env, String variable, String broker) {
    String bundle = env.get(variable);
    String where = "Deployment/" + deployment.getMetadata().getName() + ": ";
    if (bundle == null) {
      problems.add(where + broker + " names no SSL bundle (" + variable + ")");
      return;
    }
    String certificate =
        env.get("SPRING_SSL_BUNDLE_PEM_" + bundle.toUpperCase() + "_TRUSTSTORE_CERTIFICATE");
    if (certificate == null || !certificate.startsWith("file:")) {
      problems.add(where + "SSL bundle " + bundle + " of " + broker + " trusts no CA file");
      return;
    }
    checkMounted(deployment, certificate.substring("file:".length()), broker + "'s CA");
  }

  /** The file is in a volume mounted from a Secret or ConfigMap. */
  private void checkMounted(Deployment deployment, String file, String what) {
    Container container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
    Optional<VolumeMount> mount =
        container.getVolumeMounts().stream()
            .filter(m -> file.startsWith(m.getMountPath() + "/"))
            .findFirst();
    Optional<Volume> volume =
        mount.flatMap(
            m ->
                deployment.getSpec().getTemplate().getSpec().getVolumes().stream()
                    .filter(v -> v.getName().equals(m.getName()))
                    .findFirst());
    if (volume.isEmpty()
        || (volume.get().getSecret() == null && volume.get().getConfigMap() == null)) {
      problems.add(
          "Deployment/"
              + deployment.getMetadata().getName()
              + ": "
              + what
              + " "
              + file
              + " is in no mounted Secret or ConfigMap");
    }
  }

  @SuppressWarnings("unchecked")
  private void checkRabbitMqCluster() {
    for (GenericKubernetesResource rabbit : manifests.custom("RabbitmqCluster")) {
      Map<String, Object> spec = (Map<String, Object>) rabbit.getAdditionalProperties().get("spec");
      Map<String, Object> tls = (Map<String, Object>) spec.get("tls");
      if (tls == null
          || tls.get("secretName") == null
          || !Boolean.TRUE.equals(tls.get("disableNonTLSListeners"))) {
        problems.add(
            "RabbitmqCluster/"
                + rabbit.getMetadata().getName()
                + ": not TLS only (spec.tls.secretName, disableNonTLSListeners: true)");
      }
    }
  }

  /** KEDA's queries to the brokers: TLS switched on, and the broker's CA given. */
  @SuppressWarnings("unchecked")
  private void checkAutoscalerConnections() {
    Set<String> used = new TreeSet<>();
    for (GenericKubernetesResource scaled : manifests.custom("ScaledObject")) {
      Map<String, Object> spec = (Map<String, Object>) scaled.getAdditionalProperties().get("spec");
      for (Map<String, Object> trigger :
          (List<Map<String, Object>>) spec.getOrDefault("triggers", List.of())) {
        if (Set.of("kafka", "rabbitmq").contains(trigger.get("type"))) {
          Map<String, Object> auth = (Map<String, Object>) trigger.get("authenticationRef");
          if (auth == null) {
            problems.add(
                "ScaledObject/"
                    + scaled.getMetadata().getName()
                    + ": a "
                    + trigger.get("type")
                    + " trigger without authentication, so without TLS");
          } else {
            used.add(String.valueOf(auth.get("name")));
          }
        }
      }
    }
    for (GenericKubernetesResource auth : manifests.custom("TriggerAuthentication")) {
      if (!used.contains(auth.getMetadata().getName())) {
        continue;
      }
      Map<String, String> parameters = new LinkedHashMap<>();
      Map<String, Object> spec = (Map<String, Object>) auth.getAdditionalProperties().get("spec");
      for (Map<String, Object> ref :
          (List<Map<String, Object>>) spec.getOrDefault("configMapTargetRef", List.of())) {
        manifests.all(ConfigMap.class).stream()
            .filter(c -> c.getMetadata().getName().equals(ref.get("name")))
            .findFirst()
            .ifPresent(
                c ->
                    parameters.put((String) ref.get("parameter"), c.getData().get(ref.get("key"))));
      }
      for (Map<String, Object> ref :
          (List<Map<String, Object>>) spec.getOrDefault("secretTargetRef", List.of())) {
        parameters.put(
            (String) ref.get("parameter"), SECRET + ref.get("name") + "/" + ref.get("key"));
      }
      if (!"enable".equals(parameters.get("tls")) || parameters.get("ca") == null) {
        problems.add(
            "TriggerAuthentication/"
                + auth.getMetadata().getName()
                + ": no TLS (tls: enable) with the broker's CA (ca)");
      }
    }
  }

  /** Plain AMQP and plain Kafka stay closed: a service reaches only the TLS ports. */
  private void checkNoPlaintextPort(NetworkPolicy policy) {
    for (NetworkPolicyEgressRule rule : policy.getSpec().getEgress()) {
      for (NetworkPolicyPort port : rule.getPorts()) {
        Integer number = port.getPort() == null ? null : port.getPort().getIntVal();
        if (Objects.equals(number, 5672) || Objects.equals(number, 9092)) {
          problems.add(
              "NetworkPolicy/"
                  + policy.getMetadata().getName()
                  + ": egress to plaintext port "
                  + number);
        }
      }
    }
  }
}
