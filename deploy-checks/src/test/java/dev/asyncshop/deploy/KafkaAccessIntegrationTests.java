package dev.asyncshop.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.stream.Collectors;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Time;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * The Compose broker's security, on a real Kafka broker in this JVM: the settings of {@code
 * deploy/kafka/server.properties} (only addresses and folders changed), the admin made at format
 * time as Compose does, the users, topics and ACLs of {@code deploy/kafka/acls.txt}, and clients
 * configured the way Spring Boot binds the services' environment in {@code docker-compose.yml}
 * (with the passwords of {@code .env.example}). A service can do its own work and nothing of
 * another's.
 */
class KafkaAccessIntegrationTests {

  private static final Path COMPOSE_FILE = Suite.ROOT.resolve("docker-compose.yml");
  private static final Duration TIMEOUT = Duration.ofSeconds(20);

  private static Path directory;
  private static KafkaRaftServer broker;
  private static String bootstrapServers;
  private static Map<String, String> envExample;

  @BeforeAll
  static void startTheComposeBrokerAndRunItsSetup() throws Exception {
    envExample = envExample();
    directory = Files.createTempDirectory("kafka-access");
    Properties config = new Properties();
    config.load(new StringReader(Suite.read(Suite.ROOT.resolve("deploy/kafka/server.properties"))));
    int client = freePort();
    int controller = freePort();
    int replication = freePort();
    config.put(
        "listeners",
        "CLIENT://127.0.0.1:%d,CONTROLLER://127.0.0.1:%d,REPLICATION://127.0.0.1:%d"
            .formatted(client, controller, replication));
    config.put(
        "advertised.listeners",
        "CLIENT://127.0.0.1:%d,REPLICATION://127.0.0.1:%d".formatted(client, replication));
    config.put("controller.quorum.voters", "1@127.0.0.1:" + controller);
    config.put("log.dirs", directory.resolve("data").toString());
    Path file = directory.resolve("server.properties");
    try (var out = Files.newBufferedWriter(file)) {
      config.store(out, null);
    }
    // As the Compose broker's first start: the storage formatted with the super user admin.
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    int formatted =
        StorageTool.execute(
            new String[] {
              "format",
              "--cluster-id",
              Uuid.randomUuid().toString(),
              "--config",
              file.toString(),
              "--add-scram",
              "SCRAM-SHA-512=[name=admin,password=" + envExample.get("KAFKA_ADMIN_PASSWORD") + "]"
            },
            new PrintStream(output, true, StandardCharsets.UTF_8));
    assertThat(formatted).as(output.toString(StandardCharsets.UTF_8)).isZero();
    broker = new KafkaRaftServer(KafkaConfig.fromProps(config, false), Time.SYSTEM);
    broker.startup();
    bootstrapServers = "127.0.0.1:" + client;
    setUpAsKafkaSetupDoes();
  }

  /** What deploy/kafka/setup.sh does with kafka-configs, kafka-topics and kafka-acls. */
  private static void setUpAsKafkaSetupDoes() throws Exception {
    Map<String, Set<KafkaAccess.Grant>> grants = KafkaAccess.read();
    try (Admin admin = Admin.create(admin(envExample.get("KAFKA_ADMIN_PASSWORD")))) {
      admin
          .alterUserScramCredentials(
              grants.keySet().stream()
                  .map(
                      user ->
                          (org.apache.kafka.clients.admin.UserScramCredentialAlteration)
                              new UserScramCredentialUpsertion(
                                  user,
                                  new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192),
                                  password(user)))
                  .toList())
          .all()
          .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      Set<String> topics = new TreeSet<>();
      List<AclBinding> acls = new ArrayList<>();
      grants.forEach(
          (user, granted) -> {
            for (KafkaAccess.Grant grant : granted) {
              ResourceType type =
                  grant.type().equals("topic") ? ResourceType.TOPIC : ResourceType.GROUP;
              if (type == ResourceType.TOPIC) {
                topics.add(grant.name());
              }
              acls.add(
                  new AclBinding(
                      new ResourcePattern(type, grant.name(), PatternType.LITERAL),
                      new AccessControlEntry(
                          "User:" + user,
                          "*",
                          AclOperation.fromString(grant.operation()),
                          AclPermissionType.ALLOW)));
            }
          });
      admin
          .createTopics(topics.stream().map(t -> new NewTopic(t, 3, (short) 1)).toList())
          .all()
          .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      admin.createAcls(acls).all().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      // The controller has committed the ACLs; the broker applies them a moment later. A test
      // that ran before that moment would be refused for a reason that is not the rules'.
      long deadline = System.nanoTime() + TIMEOUT.toNanos();
      while (admin.describeAcls(AclBindingFilter.ANY).values().get().size() < acls.size()) {
        assertThat(System.nanoTime()).as("ACLs applied by the broker").isLessThan(deadline);
        Thread.sleep(100);
      }
    }
  }

  @AfterAll
  static void stopTheBroker() throws IOException {
    if (broker != null) {
      broker.shutdown();
      broker.awaitShutdown();
    }
    if (directory != null) {
      try (var files = Files.walk(directory)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  @Test
  void orderServicePublishesItsEventsAndConsumesInventoryEventsInItsGroup() throws Exception {
    Map<String, Object> producer = composeClient("order-service").buildProducerProperties();
    try (var events =
        new KafkaProducer<>(producer, new StringSerializer(), new StringSerializer())) {
      events.send(new ProducerRecord<>("orders.events", "o-1", "placed")).get(20, TimeUnit.SECONDS);
      events
          .send(new ProducerRecord<>("inventory.events.dlt", "o-1", "dead"))
          .get(20, TimeUnit.SECONDS);
      events.send(new ProducerRecord<>("audit.events", "o-1", "audit")).get(20, TimeUnit.SECONDS);
    }
    try (var inventory = producer("inventory-service")) {
      inventory
          .send(new ProducerRecord<>("inventory.events", "o-1", "reserved"))
          .get(20, TimeUnit.SECONDS);
    }
    try (var consumer = consumer("order-service", "order-service")) {
      consumer.subscribe(List.of("inventory.events"));
      List<String> read = new ArrayList<>();
      long deadline = System.nanoTime() + TIMEOUT.toNanos();
      while (read.isEmpty() && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(500)).forEach(r -> read.add(r.value()));
      }
      assertThat(read).containsExactly("reserved");
      consumer.commitSync();
    }
  }

  @Test
  void aServiceCannotPublishToAnotherServicesTopic() {
    try (var inventory = producer("inventory-service")) {
      assertThatThrownBy(
              () ->
                  inventory
                      .send(new ProducerRecord<>("payments.events", "o-2", "forged"))
                      .get(20, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .hasCauseInstanceOf(TopicAuthorizationException.class);
    }
    try (var order = producer("order-service")) {
      assertThatThrownBy(
              () ->
                  order
                      .send(new ProducerRecord<>("inventory.events", "o-2", "forged"))
                      .get(20, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .hasCauseInstanceOf(TopicAuthorizationException.class);
    }
  }

  @Test
  void aServiceCannotReadATopicItDoesNotConsume() {
    try (var consumer = consumer("payment-service", "payment-service")) {
      consumer.subscribe(List.of("orders.events"));
      assertThatThrownBy(() -> pollUntilRefused(consumer))
          .isInstanceOfAny(TopicAuthorizationException.class, GroupAuthorizationException.class);
    }
    // Not in another service's consumer group either, on a topic it may not read.
    try (var consumer = consumer("shipping-service", "order-service")) {
      consumer.subscribe(List.of("inventory.events"));
      assertThatThrownBy(() -> pollUntilRefused(consumer))
          .isInstanceOfAny(TopicAuthorizationException.class, GroupAuthorizationException.class);
    }
  }

  /**
   * The ops console reads the audit trail as it does: partitions assigned, no group, nothing
   * committed; and it may neither write nor read anything else.
   */
  @Test
  void theOpsConsoleReadsTheAuditTrailByAssignmentAndNothingElse() throws Exception {
    try (var shipping = producer("shipping-service")) {
      shipping
          .send(new ProducerRecord<>("audit.events", "o-3", "audited"))
          .get(20, TimeUnit.SECONDS);
    }
    try (var console = observer()) {
      List<TopicPartition> partitions =
          console.partitionsFor("audit.events").stream()
              .map(p -> new TopicPartition(p.topic(), p.partition()))
              .toList();
      console.assign(partitions);
      console.seekToBeginning(partitions);
      List<String> read = new ArrayList<>();
      long deadline = System.nanoTime() + TIMEOUT.toNanos();
      while (!read.contains("audited") && System.nanoTime() < deadline) {
        console.poll(Duration.ofMillis(500)).forEach(r -> read.add(r.value()));
      }
      assertThat(read).contains("audited");
    }
    try (var console = observer()) {
      console.assign(List.of(new TopicPartition("orders.events", 0)));
      console.seekToBeginning(List.of(new TopicPartition("orders.events", 0)));
      assertThatThrownBy(() -> pollUntilRefused(console))
          .isInstanceOf(TopicAuthorizationException.class);
    }
    // Not idempotent: an idempotent producer without any Write grant is refused by the cluster
    // before it ever names the topic, and that refusal would prove nothing about the topic's ACL.
    Map<String, Object> writer =
        new HashMap<>(composeClient("ops-console").buildProducerProperties());
    writer.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
    try (var console =
        new KafkaProducer<>(writer, new StringSerializer(), new StringSerializer())) {
      assertThatThrownBy(
              () ->
                  console
                      .send(new ProducerRecord<>("audit.events", "o-3", "forged"))
                      .get(20, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .hasCauseInstanceOf(TopicAuthorizationException.class);
    }
    try (var console = consumer("ops-console", "ops-console")) {
      console.subscribe(List.of("audit.events"));
      assertThatThrownBy(() -> pollUntilRefused(console))
          .isInstanceOf(GroupAuthorizationException.class);
    }
  }

  /**
   * order-service's catalogue, a local table: it reads inventory.products from the start with its
   * partitions assigned and no group; only inventory-service writes the topic.
   */
  @Test
  void orderServiceReadsTheProductTopicByAssignmentAndOnlyInventoryWritesIt() throws Exception {
    try (var inventory = producer("inventory-service")) {
      inventory
          .send(new ProducerRecord<>("inventory.products", "SKU-001", "state"))
          .get(20, TimeUnit.SECONDS);
    }
    try (var table = withoutGroup("order-service")) {
      List<TopicPartition> partitions =
          table.partitionsFor("inventory.products").stream()
              .map(p -> new TopicPartition(p.topic(), p.partition()))
              .toList();
      table.assign(partitions);
      assertThat(table.endOffsets(partitions).values()).contains(1L);
      table.seekToBeginning(partitions);
      List<String> read = new ArrayList<>();
      long deadline = System.nanoTime() + TIMEOUT.toNanos();
      while (!read.contains("state") && System.nanoTime() < deadline) {
        table.poll(Duration.ofMillis(500)).forEach(r -> read.add(r.value()));
      }
      assertThat(read).contains("state");
    }
    try (var order = producer("order-service")) {
      assertThatThrownBy(
              () ->
                  order
                      .send(new ProducerRecord<>("inventory.products", "SKU-001", "forged"))
                      .get(20, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .hasCauseInstanceOf(TopicAuthorizationException.class);
    }
  }

  /** The console's consumer: no group, so nothing to join and nothing to commit. */
  private static KafkaConsumer<String, String> observer() {
    return withoutGroup("ops-console");
  }

  private static KafkaConsumer<String, String> withoutGroup(String user) {
    Map<String, Object> config = new HashMap<>(composeClient(user).buildConsumerProperties());
    config.remove(ConsumerConfig.GROUP_ID_CONFIG);
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    return new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer());
  }

  @Test
  void noServiceMayCreateATopic() {
    try (Admin admin = Admin.create(composeClient("order-service").buildAdminProperties())) {
      assertThatThrownBy(
              () ->
                  admin
                      .createTopics(List.of(new NewTopic("orders.extra", 3, (short) 1)))
                      .all()
                      .get(20, TimeUnit.SECONDS))
          .hasCauseInstanceOf(TopicAuthorizationException.class);
    }
  }

  @Test
  void aWrongPasswordIsRefused() {
    Map<String, Object> config = new HashMap<>(admin("not-the-password"));
    try (Admin admin = Admin.create(config)) {
      assertThatThrownBy(() -> admin.describeCluster().clusterId().get(20, TimeUnit.SECONDS))
          .hasCauseInstanceOf(SaslAuthenticationException.class);
    }
  }

  private static void pollUntilRefused(KafkaConsumer<String, String> consumer) {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
        throw new AssertionError("read " + record + " without being allowed to");
      }
    }
  }

  private static KafkaProducer<String, String> producer(String service) {
    return new KafkaProducer<>(
        composeClient(service).buildProducerProperties(),
        new StringSerializer(),
        new StringSerializer());
  }

  private static KafkaConsumer<String, String> consumer(String service, String group) {
    Map<String, Object> config = new HashMap<>(composeClient(service).buildConsumerProperties());
    config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    return new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer());
  }

  /**
   * Spring Boot's Kafka settings of a Compose service, bound from its environment in
   * docker-compose.yml with the values of .env.example, as Boot binds them in the container; only
   * the bootstrap servers point to this test's broker.
   */
  @SuppressWarnings("unchecked")
  private static KafkaProperties composeClient(String service) {
    Map<String, Object> compose =
        (Map<String, Object>) Suite.yamlDocuments(Suite.read(COMPOSE_FILE)).get(0);
    Map<String, Object> definition =
        ((Map<String, Map<String, Object>>) compose.get("services")).get(service);
    Map<String, Object> environment = new HashMap<>();
    ComposeChecks.environment(definition.get("environment"))
        .forEach(
            (name, value) -> {
              if (name.startsWith("SPRING_KAFKA_")) {
                environment.put(name, interpolate(value));
              }
            });
    environment.put("SPRING_KAFKA_BOOTSTRAPSERVERS", bootstrapServers);
    assertThat(environment).containsKeys("SPRING_KAFKA_PROPERTIES_SASL_JAAS_CONFIG");
    Binder binder =
        new Binder(
            ConfigurationPropertySources.from(
                new SystemEnvironmentPropertySource(
                    StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, environment)));
    KafkaProperties properties =
        binder.bind("spring.kafka", KafkaProperties.class).orElseGet(KafkaProperties::new);
    properties.getProducer().setAcks("all");
    // A refused write fails in seconds, not after the default minute of waiting for metadata.
    properties.getProducer().getProperties().put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000");
    return properties;
  }

  private static Map<String, Object> admin(String password) {
    return Map.of(
        AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
        bootstrapServers,
        AdminClientConfig.SECURITY_PROTOCOL_CONFIG,
        "SASL_PLAINTEXT",
        "sasl.mechanism",
        "SCRAM-SHA-512",
        "sasl.jaas.config",
        "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"admin\""
            + " password=\""
            + password
            + "\";");
  }

  /** The password Compose gives kafka-setup for a user: KAFKA_ORDER_SERVICE_PASSWORD, ... */
  private static String password(String user) {
    String variable = "KAFKA_" + user.toUpperCase().replace('-', '_') + "_PASSWORD";
    assertThat(envExample).as(variable + " in .env.example").containsKey(variable);
    return envExample.get(variable);
  }

  /**
   * Compose's interpolation of ${NAME}, ${NAME:-default} and ${NAME:?message} from .env.example.
   */
  private static String interpolate(String value) {
    Matcher matcher = ComposeChecks.VARIABLE.matcher(value);
    StringBuilder out = new StringBuilder();
    while (matcher.find()) {
      String replacement = envExample.get(matcher.group(1));
      assertThat(replacement).as(matcher.group(1) + " in .env.example").isNotNull();
      matcher.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    return matcher.appendTail(out).toString().replace("$$", "$");
  }

  private static Map<String, String> envExample() {
    return Suite.read(Suite.ROOT.resolve(".env.example"))
        .lines()
        .filter(line -> line.matches("[A-Z_][A-Z0-9_]*=.*"))
        .collect(
            Collectors.toMap(
                line -> line.substring(0, line.indexOf('=')),
                line -> line.substring(line.indexOf('=') + 1)));
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
