package dev.asyncshop.systemtests;

import dev.asyncshop.testsupport.Brokers;
import dev.asyncshop.testsupport.ServiceProcess;
import dev.asyncshop.testsupport.TestDatabases;
import dev.asyncshop.testsupport.TestNames;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * The four services as processes, started once per test JVM as their image starts them: their own
 * databases, the brokers of {@link Brokers}, and a destination prefix of their own, so a run never
 * sees another run's (or a local ./asyncshop's) messages.
 */
final class Suite {

  /** Long enough for 200 concurrent orders on two busy cores, short enough to test timeouts. */
  static final Duration STEP_TIMEOUT = Duration.ofSeconds(20);

  /** Where the extracted services, their class data sharing archives and their logs go. */
  static final Path WORK = Path.of("target", "system-tests");

  private static Suite running;

  /** Put before every queue, topic and channel name of this run. */
  final String prefix;

  final ServiceProcess order;
  final ServiceProcess inventory;
  final ServiceProcess payment;
  final ServiceProcess shipping;

  /** Where every service exports its spans. */
  final ZipkinServer zipkin = new ZipkinServer(WORK);

  private Suite() {
    prefix = TestNames.unique("st") + ".";
    List<String> common = new ArrayList<>(ServiceProcess.arguments(Brokers.springProperties()));
    common.add("--messaging.destination-prefix=" + prefix);
    common.add("--logging.level.dev.asyncshop.messaging.audit=WARN");
    common.add("--management.tracing.export.zipkin.endpoint=" + zipkin.spanEndpoint());
    common.add("--management.opentelemetry.tracing.export.schedule-delay=500ms");
    order =
        process(
            "order",
            common,
            database("orders"),
            List.of(
                "--order.saga.step-timeout=" + STEP_TIMEOUT.toSeconds() + "s",
                "--order.saga.sweep-interval=500ms"));
    inventory = process("inventory", common, database("inventory"), List.of());
    payment = process("payment", common, database("payments"), List.of());
    shipping = process("shipping", common, database("shipping"), List.of());
  }

  private static List<String> database(String prefix) {
    return ServiceProcess.arguments(TestDatabases.springProperties(TestDatabases.create(prefix)));
  }

  private static ServiceProcess process(
      String name, List<String> common, List<String> database, List<String> own) {
    List<String> arguments = new ArrayList<>(common);
    arguments.addAll(database);
    arguments.addAll(own);
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

  static synchronized Suite get() {
    if (running == null) {
      Suite suite = new Suite();
      Runtime.getRuntime().addShutdownHook(new Thread(suite::stopAll, "system-tests-stop"));
      suite.zipkin.start();
      prepare(suite.all(), ServiceProcess::prepare);
      for (ServiceProcess service : suite.all()) {
        service.start();
      }
      List<CompletableFuture<Void>> starting = new ArrayList<>();
      for (ServiceProcess service : suite.all()) {
        starting.add(CompletableFuture.runAsync(() -> service.awaitReady(Duration.ofSeconds(120))));
      }
      starting.forEach(CompletableFuture::join);
      suite.zipkin.awaitReady(Duration.ofSeconds(60));
      running = suite;
    }
    return running;
  }

  List<ServiceProcess> all() {
    return List.of(order, inventory, payment, shipping);
  }

  /** Stops the services and Zipkin; a later {@link #get()} starts a fresh suite. */
  void stopAll() {
    all().forEach(ServiceProcess::stop);
    zipkin.stop();
    synchronized (Suite.class) {
      if (running == this) {
        running = null;
      }
    }
  }
}
