package dev.asyncshop.systemtests;

import dev.asyncshop.testsupport.BrokerUsers;
import dev.asyncshop.testsupport.Brokers;
import dev.asyncshop.testsupport.ServiceProcess;
import dev.asyncshop.testsupport.TestDatabases;
import dev.asyncshop.testsupport.TestNames;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The four services as processes, started once per test JVM as their image starts them: their own
 * databases, the brokers of {@link Brokers}, and a destination prefix of their own, so a run never
 * sees another run's (or a local ./asyncshop's) messages. Signing is on as in production: each
 * service signs with a key pair made for this run and checks every message with {@code enforce}.
 * Encryption too: the card token and the address travel under master keys made for this run, each
 * held only by order-service and the one service that reads it, and order-service stores card
 * tokens under a key of its own. So is authentication: the authorization server runs as a process
 * too, with customers and an operators' client whose secrets are made for this run, and every
 * request carries its token.
 */
final class Suite {

  /**
   * A saga step's deadline: production's, long enough for an operator to fix a command in the
   * console before its order times out, and for 100 concurrent orders on two busy cores.
   */
  static final Duration STEP_TIMEOUT = Duration.ofSeconds(30);

  /** Where the extracted services, their class data sharing archives and their logs go. */
  static final Path WORK = Path.of("target", "system-tests");

  private static Suite running;

  /**
   * How the suite is laid out.
   *
   * @param instances processes per service, side by side on one database, as replicas are
   * @param kafka Kafka's bootstrap servers; none for the brokers of {@link Brokers}
   * @param recoveryGrace how long order-service's saga time waits after its brokers are back
   * @param sampling the share of traces recorded and sent to Zipkin
   * @param outboxParkAfter refusals after which an outbox row is parked ({@code
   *     messaging.outbox.park-after})
   */
  record Layout(
      int instances,
      @Nullable String kafka,
      Duration recoveryGrace,
      double sampling,
      int outboxParkAfter) {

    /**
     * One instance of each service, on the brokers every other test uses; saga time runs two
     * seconds after order-service reached its brokers, not 15, so timeouts come soon; an outbox row
     * its broker refuses is parked after three refusals, not ten, so within seconds.
     */
    static final Layout SINGLE = new Layout(1, null, Duration.ofSeconds(2), 1.0, 3);
  }

  final Layout layout;

  /** Put before every queue, topic and channel name of this run. */
  final String prefix;

  /** Customers who may log in, each with {@link #password}; a test takes a fresh one. */
  static final int CUSTOMERS = 20;

  /** The operators' machine client, with {@link #password} as its secret. */
  static final String OPERATIONS_CLIENT = "operations";

  /**
   * An operator who logs in to the console in a browser, with {@link #password}; also the console's
   * client secret.
   */
  static final String OPERATOR = "olivia";

  /** The password of every customer and the operators' client secret, made for this run. */
  final String password = TestNames.unique("pw");

  final ServiceProcess authorization;
  final ServiceProcess order;
  final ServiceProcess inventory;
  final ServiceProcess payment;
  final ServiceProcess shipping;

  /** Where the console answers, once {@link #console()} started it. */
  final int consolePort = ServiceProcess.freePort();

  private @Nullable ServiceProcess console;

  private boolean stopped;

  /** Every instance of each service by its short name; the first is the field of that name. */
  final Map<String, List<ServiceProcess>> instances = new LinkedHashMap<>();

  /** Each service's database, by its short name; its instances share it. */
  final Map<String, String> databases = new LinkedHashMap<>();

  /** The signing key pair of each service, by its short name; made for this run only. */
  final Map<String, KeyPair> signingKeys = new LinkedHashMap<>();

  /**
   * Each service's own RabbitMQ and Redis user, with exactly its permissions, made for this run.
   */
  final BrokerUsers brokerUsers;

  /** Where every service exports its spans. */
  final ZipkinServer zipkin = new ZipkinServer(WORK);

  private Suite(Layout layout) {
    this.layout = layout;
    prefix = TestNames.unique("st") + ".";
    authorization = authorizationServer();
    brokerUsers = new BrokerUsers(prefix);
    // Each service logs in as its own broker user, so the saga proves its permissions enough.
    List<String> common = new ArrayList<>(ServiceProcess.arguments(brokerAddresses()));
    common.add("--spring.security.oauth2.resourceserver.jwt.issuer-uri=" + issuer());
    common.add(
        "--spring.security.oauth2.resourceserver.jwt.jwk-set-uri=" + issuer() + "/oauth2/jwks");
    common.add("--messaging.destination-prefix=" + prefix);
    common.add("--messaging.outbox.park-after=" + layout.outboxParkAfter());
    common.add("--logging.level.dev.asyncshop.messaging.audit=WARN");
    common.addAll(acceptAllSigningKeys("order", "inventory", "payment", "shipping"));
    common.add("--management.tracing.export.zipkin.endpoint=" + zipkin.spanEndpoint());
    common.add("--management.opentelemetry.tracing.export.schedule-delay=500ms");
    common.add("--management.tracing.sampling.probability=" + layout.sampling());
    Path keys = encryptionKeys("payment", "shipping", "cards");
    List<String> orderOwn =
        new ArrayList<>(
            List.of(
                "--order.saga.step-timeout=" + STEP_TIMEOUT.toSeconds() + "s",
                "--order.saga.sweep-interval=500ms",
                "--order.saga.recovery-grace=" + layout.recoveryGrace().toMillis() + "ms",
                "--order.card-tokens.key.id=cardstest",
                "--order.card-tokens.key.secret-file=" + keys.resolve("cards").toAbsolutePath()));
    orderOwn.addAll(holdEncryptionKey(keys, "payment", "payment.authorize.v1"));
    orderOwn.addAll(holdEncryptionKey(keys, "shipping", "shipping.schedule.v1"));
    order = process("order", common, database("order", "orders"), orderOwn);
    inventory = process("inventory", common, database("inventory", "inventory"), List.of());
    payment = process("payment", common, database("payment", "payments"), paymentOwn(keys));
    shipping =
        process(
            "shipping",
            common,
            database("shipping", "shipping"),
            holdEncryptionKey(keys, "shipping", "shipping.schedule.v1"));
    for (ServiceProcess first : List.of(order, inventory, payment, shipping)) {
      List<ServiceProcess> all = new ArrayList<>(List.of(first));
      for (int n = 2; n <= layout.instances(); n++) {
        all.add(first.instance(n, ServiceProcess.freePort()));
      }
      instances.put(first.name(), List.copyOf(all));
    }
  }

  /** The id of an encryption key of this run ({@code payment}, {@code shipping}). */
  static String encryptionKeyId(String name) {
    return name + "test";
  }

  /** Its secret, base64, for a test that encrypts a message by hand. */
  static String encryptionKey(String name) {
    try {
      return Files.readString(WORK.resolve("encryption-keys").resolve(name)).strip();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes a random 256-bit key per name under {@link #WORK}, made for this run only. */
  private static Path encryptionKeys(String... names) {
    Path keys = WORK.resolve("encryption-keys");
    try {
      Files.createDirectories(keys);
      SecureRandom random = new SecureRandom();
      for (String name : names) {
        byte[] key = new byte[32];
        random.nextBytes(key);
        Files.writeString(keys.resolve(name), Base64.getEncoder().encodeToString(key));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return keys;
  }

  /** The arguments that make a service hold a master key, active for the one type it is for. */
  private static List<String> holdEncryptionKey(Path keys, String name, String type) {
    String setting = "--messaging.encryption.keys." + encryptionKeyId(name);
    return List.of(
        setting + ".secret-file=" + keys.resolve(name).toAbsolutePath(),
        setting + ".types=" + type,
        setting + ".active=true");
  }

  /**
   * Where this run's brokers are, without who logs in to them: each application logs in as its own
   * broker user ({@link #brokerUsers}).
   */
  private Map<String, String> brokerAddresses() {
    Map<String, String> brokers =
        new LinkedHashMap<>(
            layout.kafka() == null
                ? Brokers.springProperties()
                : Brokers.springProperties(layout.kafka()));
    brokers.keySet().removeIf(key -> key.endsWith(".username") || key.endsWith(".password"));
    return brokers;
  }

  /** What the authorization server names as the issuer of its tokens, and where it answers. */
  String issuer() {
    return "http://127.0.0.1:" + authorization.port();
  }

  /** The name of the n-th customer (from 1). */
  static String customer(int n) {
    return "shopper%02d".formatted(n);
  }

  private ServiceProcess authorizationServer() {
    int port = ServiceProcess.freePort();
    List<String> arguments = new ArrayList<>();
    arguments.add("--spring.security.oauth2.authorizationserver.issuer=http://127.0.0.1:" + port);
    for (int n = 1; n <= CUSTOMERS; n++) {
      String user = "--asyncshop.authorization.users." + customer(n);
      arguments.add(user + ".password=" + password);
      arguments.add(user + ".roles=CUSTOMER");
    }
    arguments.add("--asyncshop.authorization.clients." + OPERATIONS_CLIENT + ".secret=" + password);
    arguments.add("--asyncshop.authorization.users." + OPERATOR + ".password=" + password);
    arguments.add("--asyncshop.authorization.users." + OPERATOR + ".roles=OPS");
    String console = "http://127.0.0.1:" + consolePort;
    arguments.add("--asyncshop.authorization.console.secret=" + password);
    arguments.add(
        "--asyncshop.authorization.console.redirect-uris="
            + console
            + "/login/oauth2/code/asyncshop");
    arguments.add("--asyncshop.authorization.console.post-logout-redirect-uris=" + console + "/");
    return new ServiceProcess("authorization-server", port, WORK, arguments);
  }

  /**
   * payment-service's own settings: its key, and a circuit breaker that judges after two messages
   * and pauses for two seconds, so a card gateway outage opens it and its end closes it well inside
   * a saga step's deadline.
   */
  private static List<String> paymentOwn(Path keys) {
    List<String> own = new ArrayList<>(holdEncryptionKey(keys, "payment", "payment.authorize.v1"));
    own.add("--messaging.circuit-breaker.minimum-number-of-calls=2");
    own.add("--messaging.circuit-breaker.sliding-window-size=4");
    own.add("--messaging.circuit-breaker.wait-in-open=2s");
    return own;
  }

  /** The key id of a service's signing key in this run. */
  static String signingKeyId(String name) {
    return name + "test";
  }

  /**
   * Makes a key pair per service, writes it as PEM files under {@link #WORK}, and returns the
   * arguments every service shares: {@code enforce}, and the four public keys with their owners.
   */
  private List<String> acceptAllSigningKeys(String... names) {
    Path keys = WORK.resolve("signing-keys");
    List<String> arguments = new ArrayList<>();
    arguments.add("--messaging.signing.verify=enforce");
    try {
      Files.createDirectories(keys);
      KeyPairGenerator generator = KeyPairGenerator.getInstance("Ed25519");
      for (String name : names) {
        KeyPair pair = generator.generateKeyPair();
        signingKeys.put(name, pair);
        Files.writeString(
            keys.resolve(name + ".pem"), pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
        Path publicKey =
            Files.writeString(
                keys.resolve(name + ".pub.pem"), pem("PUBLIC KEY", pair.getPublic().getEncoded()));
        String setting = "--messaging.signing.keys." + signingKeyId(name);
        arguments.add(setting + ".owner=" + name + "-service");
        arguments.add(setting + ".public-key-file=" + publicKey.toAbsolutePath());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
    return arguments;
  }

  private static String pem(String label, byte[] der) {
    return "-----BEGIN %s-----%n%s%n-----END %s-----%n"
        .formatted(label, Base64.getMimeEncoder().encodeToString(der), label);
  }

  private List<String> database(String service, String prefix) {
    String url = TestDatabases.create(prefix);
    databases.put(service, url.substring(url.lastIndexOf('/') + 1));
    return ServiceProcess.arguments(TestDatabases.springProperties(url));
  }

  /** A connection to a service's database ({@code order}, ...), as the superuser. */
  Connection database(String service) throws SQLException {
    return TestDatabases.connect(databases.get(service));
  }

  private ServiceProcess process(
      String name, List<String> common, List<String> database, List<String> own) {
    List<String> arguments = new ArrayList<>(common);
    arguments.addAll(ServiceProcess.arguments(brokerUsers.springProperties(name + "-service")));
    arguments.addAll(database);
    arguments.addAll(own);
    arguments.add("--messaging.signing.key.id=" + signingKeyId(name));
    arguments.add(
        "--messaging.signing.key.private-key-file="
            + WORK.resolve("signing-keys").resolve(name + ".pem").toAbsolutePath());
    return new ServiceProcess(name, ServiceProcess.freePort(), WORK, arguments);
  }

  /**
   * Prepares each service (extracted, with its archive, as the image build does), two at a time:
   * each training run is a JVM starting a service, and there are two cores.
   *
   * @return the archives
   */
  static List<Path> prepare(List<ServiceProcess> services, Function<ServiceProcess, Path> step) {
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<CompletableFuture<Path>> archives = new ArrayList<>();
      for (ServiceProcess service : services) {
        archives.add(CompletableFuture.supplyAsync(() -> step.apply(service), pool));
      }
      return archives.stream().map(CompletableFuture::join).toList();
    } finally {
      pool.shutdownNow();
    }
  }

  /** The suite of this JVM, one instance of each service, started on first use. */
  static Suite get() {
    return get(Layout.SINGLE);
  }

  /**
   * The suite of this JVM, laid out as asked, started on first use.
   *
   * @throws IllegalStateException if this JVM's suite runs with another layout
   */
  static synchronized Suite get(Layout layout) {
    if (running != null && !running.layout.equals(layout)) {
      throw new IllegalStateException(
          "This JVM's suite runs as " + running.layout + ", not " + layout);
    }
    if (running == null) {
      Suite suite = new Suite(layout);
      Runtime.getRuntime().addShutdownHook(new Thread(suite::stopAll, "system-tests-stop"));
      suite.zipkin.start();
      // The instances of a service share its extracted jar and archive: prepared once.
      List<ServiceProcess> distinct = new ArrayList<>(List.of(suite.authorization));
      distinct.addAll(suite.all());
      prepare(distinct, ServiceProcess::prepare);
      // Wave by wave, the first instances before the others: nine JVMs starting at once on two
      // cores take longer than any of them alone.
      List<ServiceProcess> firsts = new ArrayList<>(List.of(suite.authorization));
      firsts.addAll(suite.all());
      List<ServiceProcess> others = new ArrayList<>(suite.applications());
      others.removeAll(firsts);
      startAll(firsts);
      startAll(others);
      suite.zipkin.awaitReady(Duration.ofSeconds(60));
      running = suite;
    }
    return running;
  }

  private static void startAll(List<ServiceProcess> services) {
    services.forEach(ServiceProcess::start);
    List<CompletableFuture<Void>> starting = new ArrayList<>();
    for (ServiceProcess service : services) {
      starting.add(CompletableFuture.runAsync(() -> service.awaitReady(Duration.ofSeconds(180))));
    }
    starting.forEach(CompletableFuture::join);
  }

  /**
   * The ops console, started on first use (only the browser test needs it): logging operators in at
   * this run's authorization server, calling the first instance of each service, reading
   * order-service's status broadcast and the audit topic as its own broker user.
   */
  synchronized ServiceProcess console() {
    if (console == null) {
      List<String> arguments = new ArrayList<>();
      for (ServiceProcess service : all()) {
        arguments.add("--console.services." + service.name() + "=" + service.uri(""));
      }
      arguments.add("--console.authorization.issuer=" + issuer());
      arguments.add("--console.authorization.client-secret=" + password);
      arguments.add("--console.destination-prefix=" + prefix);
      // Where Redis and Kafka are; on Redis as its own read-only user.
      Map<String, String> brokers = brokerAddresses();
      brokers
          .keySet()
          .removeIf(
              key -> !key.startsWith("spring.data.redis.") && !key.startsWith("spring.kafka."));
      arguments.addAll(ServiceProcess.arguments(brokers));
      arguments.addAll(ServiceProcess.arguments(brokerUsers.springProperties("ops-console")));
      ServiceProcess started = new ServiceProcess("ops-console", consolePort, WORK, arguments);
      started.start();
      started.awaitReady(Duration.ofSeconds(120));
      console = started;
    }
    return console;
  }

  /** The first instance of each of the four services. */
  List<ServiceProcess> all() {
    return List.of(order, inventory, payment, shipping);
  }

  /** The authorization server, every instance of the four services, and the console if started. */
  List<ServiceProcess> applications() {
    List<ServiceProcess> applications = new ArrayList<>(List.of(authorization));
    instances.values().forEach(applications::addAll);
    if (console != null) {
      applications.add(console);
    }
    return applications;
  }

  /** Stops this JVM's suite, if one runs. */
  static void stopRunning() {
    Suite suite;
    synchronized (Suite.class) {
      suite = running;
    }
    if (suite != null) {
      suite.stopAll();
    }
  }

  /** Stops the services and Zipkin, once; a later {@link #get()} starts a fresh suite. */
  void stopAll() {
    synchronized (this) {
      if (stopped) {
        return;
      }
      stopped = true;
    }
    // All at once: each finishes the messages in hand before it exits, and none waits for another.
    List<ServiceProcess> applications = applications();
    ExecutorService stopping = Executors.newFixedThreadPool(applications.size());
    try {
      List<CompletableFuture<Void>> stopped = new ArrayList<>();
      for (ServiceProcess application : applications) {
        stopped.add(CompletableFuture.runAsync(application::stop, stopping));
      }
      stopped.forEach(CompletableFuture::join);
    } finally {
      stopping.shutdownNow();
    }
    zipkin.stop();
    brokerUsers.close();
    synchronized (Suite.class) {
      if (running == this) {
        running = null;
      }
    }
  }
}
