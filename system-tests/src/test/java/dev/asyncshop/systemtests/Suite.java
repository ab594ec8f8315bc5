package dev.asyncshop.systemtests;

import dev.asyncshop.messaging.test.Brokers;
import dev.asyncshop.messaging.test.TestDatabases;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * The four services as processes, started once per test JVM: their own databases, one embedded
 * Kafka broker, and a destination prefix of their own on the shared RabbitMQ and Redis, so a run
 * never sees another run's (or a local ./asyncshop's) messages.
 */
final class Suite {

  /** Long enough for 200 concurrent orders on two busy cores, short enough to test timeouts. */
  static final Duration STEP_TIMEOUT = Duration.ofSeconds(20);

  private static Suite running;

  /** Put before every queue, topic and channel name of this run. */
  final String prefix;

  final ServiceProcess order;
  final ServiceProcess inventory;
  final ServiceProcess payment;
  final ServiceProcess shipping;

  private Suite() {
    Brokers.requireRabbitMq();
    Brokers.requireRedis();
    Brokers.requirePostgres();
    String kafka = Brokers.kafka();
    prefix = "st-" + UUID.randomUUID().toString().substring(0, 8) + ".";
    List<String> common =
        List.of(
            "--spring.kafka.bootstrap-servers=" + kafka,
            "--messaging.destination-prefix=" + prefix,
            "--spring.datasource.username=postgres",
            "--logging.level.dev.asyncshop.messaging.audit=WARN");
    order =
        process(
            "order",
            common,
            "--spring.datasource.url=" + TestDatabases.create("orders"),
            "--order.saga.step-timeout=" + STEP_TIMEOUT.toSeconds() + "s",
            "--order.saga.sweep-interval=500ms");
    inventory =
        process(
            "inventory", common, "--spring.datasource.url=" + TestDatabases.create("inventory"));
    payment =
        process("payment", common, "--spring.datasource.url=" + TestDatabases.create("payments"));
    shipping =
        process("shipping", common, "--spring.datasource.url=" + TestDatabases.create("shipping"));
  }

  private static ServiceProcess process(String name, List<String> common, String... own) {
    List<String> arguments = new ArrayList<>(common);
    arguments.addAll(List.of(own));
    return new ServiceProcess(name, freePort(), arguments);
  }

  static synchronized Suite get() {
    if (running == null) {
      Suite suite = new Suite();
      Runtime.getRuntime().addShutdownHook(new Thread(suite::stopAll, "system-tests-stop"));
      List<CompletableFuture<Void>> starting = new ArrayList<>();
      for (ServiceProcess service : suite.all()) {
        service.start();
      }
      for (ServiceProcess service : suite.all()) {
        starting.add(CompletableFuture.runAsync(() -> service.awaitReady(Duration.ofSeconds(120))));
      }
      starting.forEach(CompletableFuture::join);
      running = suite;
    }
    return running;
  }

  List<ServiceProcess> all() {
    return List.of(order, inventory, payment, shipping);
  }

  void stopAll() {
    all().forEach(ServiceProcess::stop);
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
