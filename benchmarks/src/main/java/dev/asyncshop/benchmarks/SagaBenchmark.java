package dev.asyncshop.benchmarks;

import dev.asyncshop.testsupport.ServiceProcess;
import dev.asyncshop.testsupport.TestEncryption;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;

/**
 * The four services as processes (their own databases, a destination prefix of this run, the Kafka
 * broker of this run), driven over HTTP: a closed loop of clients that each place an order and
 * follow it to its end, then open-loop arrivals at fixed rates with POST-to-SHIPPED latency.
 */
final class SagaBenchmark {

  /**
   * Settings of the saga run.
   *
   * @param extraJvmOptions after the image's own, as {@code JAVA_TOOL_OPTIONS} would add them
   */
  record Settings(
      List<Integer> closedClients,
      Duration closedWarmUp,
      Duration closedMeasure,
      List<Integer> rates,
      Duration rateMeasure,
      List<String> extraJvmOptions) {}

  /**
   * @param ordersPerSecond orders reaching an end state per second in the window
   * @param latency POST to end state, for the orders that shipped
   */
  record ClosedLoop(
      int clients,
      double ordersPerSecond,
      long completed,
      long shipped,
      long errors,
      Recorder.Percentiles latency,
      Map<String, Double> cpuSeconds,
      Map<String, Double> compilerSeconds) {

    /** CPU milliseconds per order that reached an end state, by process. */
    Map<String, Double> cpuMillisPerOrder() {
      Map<String, Double> perOrder = new java.util.LinkedHashMap<>();
      cpuSeconds.forEach(
          (name, seconds) -> perOrder.put(name, completed == 0 ? 0 : seconds * 1000 / completed));
      return perOrder;
    }

    /** CPU milliseconds per order of every process of the shop, the load generator left out. */
    double shopCpuMillisPerOrder() {
      return shopMillisPerOrder(cpuSeconds);
    }

    /** Of {@link #shopCpuMillisPerOrder()}, what the JVMs' JIT compiler threads used. */
    double shopCompilerMillisPerOrder() {
      return shopMillisPerOrder(compilerSeconds);
    }

    private double shopMillisPerOrder(Map<String, Double> seconds) {
      return completed == 0
          ? 0
          : seconds.entrySet().stream()
                  .filter(e -> !e.getKey().equals(CpuTime.LOAD_GENERATOR))
                  .mapToDouble(Map.Entry::getValue)
                  .sum()
              * 1000
              / completed;
    }
  }

  /**
   * @param shippedPerSecond orders whose SHIPPED time fell inside the arrival window, per second
   * @param errors POSTs not accepted, orders that ended other than SHIPPED or not at all
   */
  record OpenLoop(
      int rate,
      long attempted,
      long shipped,
      long errors,
      double shippedPerSecond,
      Recorder.Percentiles latency) {

    double errorRate() {
      return attempted == 0 ? 0 : (double) errors / attempted;
    }
  }

  record ServiceFigures(String name, Duration startUp, long residentBytes, long heapUsedBytes) {}

  /**
   * @param idleCpuPerSecond CPU seconds per second of each process while no order was placed
   * @param profile of the service that used the most CPU in the profiled closed loop
   * @param warmUp the closed loop's warm-up, before the measured loops and again before the
   *     profiled one
   */
  record Result(
      List<ClosedLoop> closed,
      Map<String, Double> idleCpuPerSecond,
      Profile profile,
      Duration warmUp,
      List<OpenLoop> open,
      List<ServiceFigures> services,
      List<String> jvmOptions) {

    ClosedLoop best() {
      return closed.stream()
          .max((a, b) -> Double.compare(a.ordersPerSecond(), b.ordersPerSecond()))
          .orElseThrow();
    }

    ClosedLoop cheapest() {
      return closed.stream()
          .filter(loop -> loop.completed() > 0)
          .min((a, b) -> Double.compare(a.shopCpuMillisPerOrder(), b.shopCpuMillisPerOrder()))
          .orElse(closed.get(0));
    }
  }

  private static final int STOCK = 1_000_000;
  private static final Duration POLL = Duration.ofMillis(100);

  /**
   * How long an order may take to end before it counts as an error: twice the saga's step timeout
   * (30 s), after which the sweeper has cancelled whatever was stuck.
   */
  private static final Duration ORDER_DEADLINE = Duration.ofSeconds(60);

  /** Queues the services declare, deleted (with their dead-letter queues) after the run. */
  private static final List<String> QUEUES =
      List.of(
          "inventory.reserve",
          "inventory.release",
          "payment.authorize",
          "payment.refund",
          "shipping.quote",
          "shipping.schedule");

  private SagaBenchmark() {}

  static Result run(String kafka, Settings settings, Versions versions) throws Exception {
    String run = UUID.randomUUID().toString().substring(0, 8);
    String prefix = "bench-" + run + ".";
    Map<String, String> databases =
        Map.of(
            "order", "bench_orders_" + run,
            "inventory", "bench_inventory_" + run,
            "payment", "bench_payments_" + run,
            "shipping", "bench_shipping_" + run);
    List<ServiceProcess> services = new ArrayList<>();
    BearerTokens tokens = new BearerTokens(Path.of("benchmarks", "target"));
    SigningKeys signing =
        new SigningKeys(
            Path.of("benchmarks", "target", "signing-keys"),
            List.of("inventory", "payment", "shipping", "order"));
    try {
      tokens.start();
      for (String name : List.of("inventory", "payment", "shipping", "order")) {
        Databases.create(databases.get(name));
        services.add(
            new ServiceProcess(
                name,
                ServiceProcess.freePort(),
                Path.of("benchmarks", "target"),
                Stream.concat(Stream.of(Profile.STACK_DEPTH), settings.extraJvmOptions().stream())
                    .toList(),
                Stream.concat(
                        Stream.of(
                            "--spring.kafka.bootstrap-servers=" + kafka,
                            "--messaging.destination-prefix=" + prefix,
                            "--spring.datasource.url=" + Databases.url(databases.get(name)),
                            "--spring.datasource.username=postgres"),
                        Stream.of(
                                tokens.serviceArguments(),
                                // every message signed and checked, as in production
                                signing.arguments(name),
                                // the card token and the address travel encrypted, as in production
                                ServiceProcess.arguments(TestEncryption.springProperties()))
                            .flatMap(List::stream))
                    .toList()));
      }
      System.out.println("  extracting the services and writing their CDS archives");
      for (ServiceProcess service : services) {
        service.prepare();
      }
      // One at a time, so each start-up time is the service's own and not four JVMs sharing two
      // cores.
      for (ServiceProcess service : services) {
        service.start();
        service.awaitReady(Duration.ofMinutes(2));
        System.out.printf(
            "  %s-service ready in %.1f s (pid %d)%n",
            service.name(), service.startUp().toMillis() / 1000.0, service.pid());
      }
      ServiceProcess order = services.get(3);
      ServiceProcess inventory = services.get(0);
      Shop shop = new Shop(order, inventory, tokens);
      shop.restock(STOCK);

      System.out.printf(
          "  warm-up: closed loop, 16 clients, %ds%n", settings.closedWarmUp().toSeconds());
      closedLoop(shop, services, 16, Duration.ZERO, settings.closedWarmUp());
      Map<String, Double> idle = idle(services, settings.closedMeasure());
      List<ClosedLoop> closed = new ArrayList<>();
      for (int clients : settings.closedClients()) {
        shop.restock(STOCK);
        ClosedLoop result =
            closedLoop(shop, services, clients, Duration.ofSeconds(3), settings.closedMeasure());
        System.out.printf(
            "  closed loop, %3d clients: %6.1f orders/s  p50 %6.0f ms  p95 %6.0f ms  p99 %6.0f ms"
                + "  errors %d%n    CPU ms per order: %.1f (JIT compilers %.1f) %s%n",
            clients,
            result.ordersPerSecond(),
            result.latency().p50(),
            result.latency().p95(),
            result.latency().p99(),
            result.errors(),
            result.shopCpuMillisPerOrder(),
            result.shopCompilerMillisPerOrder(),
            result.cpuMillisPerOrder().entrySet().stream()
                .map(e -> e.getKey().replaceAll(" .*", "") + " " + Math.round(e.getValue()))
                .toList());
        closed.add(result);
      }
      List<OpenLoop> open = new ArrayList<>();
      for (int rate : settings.rates()) {
        shop.restock(STOCK);
        OpenLoop result = openLoop(shop, rate, settings.rateMeasure());
        System.out.printf(
            "  open loop %3d/s: shipped %6.1f/s  p50 %6.0f ms  p95 %6.0f ms  p99 %6.0f ms"
                + "  errors %d of %d%n",
            rate,
            result.shippedPerSecond(),
            result.latency().p50(),
            result.latency().p95(),
            result.latency().p99(),
            result.errors(),
            result.attempted());
        open.add(result);
      }
      List<ServiceFigures> figures = new ArrayList<>();
      for (ServiceProcess service : services) {
        ServiceFigures figure =
            new ServiceFigures(
                service.name(),
                service.startUp(),
                ServiceMemory.residentBytes(service),
                ServiceMemory.heapUsedBytes(service, tokens.operator()));
        System.out.printf(
            "  %s-service: resident %d MB, heap used %d MB, start-up %.1f s%n",
            figure.name(),
            figure.residentBytes() >> 20,
            figure.heapUsedBytes() >> 20,
            figure.startUp().toMillis() / 1000.0);
        figures.add(figure);
        if (settings.extraJvmOptions().stream()
            .anyMatch(o -> o.startsWith("-XX:NativeMemoryTracking"))) {
          nativeMemory(service);
        }
      }
      // Last, because it stops the services measured above and starts them again, recording.
      Profile profile = profile(shop, services, settings.closedWarmUp(), settings.closedMeasure());
      // The archive's path is this machine's; the report names the archive on its own.
      List<String> jvmOptions =
          services.get(0).jvmOptions().stream()
              .filter(option -> !option.startsWith("-XX:SharedArchiveFile="))
              .filter(option -> !option.equals(Profile.STACK_DEPTH))
              .toList();
      return new Result(closed, idle, profile, settings.closedWarmUp(), open, figures, jvmOptions);
    } finally {
      services.parallelStream().forEach(ServiceProcess::stop);
      tokens.stop();
      databases.values().forEach(Databases::drop);
      deleteQueues(prefix);
    }
  }

  /**
   * CPU seconds per second of each process while nothing is asked of the shop (after the warm-up,
   * once its last orders have ended): the price of being up, paid whatever the load.
   */
  private static Map<String, Double> idle(List<ServiceProcess> services, Duration measure)
      throws InterruptedException {
    Thread.sleep(3_000);
    Map<String, Double> before = CpuTime.snapshot(services);
    Thread.sleep(measure.toMillis());
    Map<String, Double> perSecond = new java.util.LinkedHashMap<>();
    CpuTime.between(before, CpuTime.snapshot(services))
        .forEach((name, seconds) -> perSecond.put(name, seconds / (measure.toMillis() / 1000.0)));
    System.out.printf(
        "  idle, %ds: CPU ms per second %s%n",
        measure.toSeconds(),
        perSecond.entrySet().stream()
            .map(e -> e.getKey().replaceAll(" .*", "") + " " + Math.round(e.getValue() * 1000))
            .toList());
    return perSecond;
  }

  /**
   * One more closed loop of 16 clients, after everything else, in the four services started again
   * with a recording running from their start (see {@link Profile}: one started in a running
   * service would profile its interpreter) and warmed up as the measured loops were; a second
   * recording covers the loop, and the profile of the service that used the most CPU is kept. The
   * recordings stay in {@code benchmarks/target/profiles} for {@code jfr} or JDK Mission Control.
   */
  private static Profile profile(
      Shop shop, List<ServiceProcess> measured, Duration warmUp, Duration measure)
      throws IOException, InterruptedException {
    System.out.printf(
        "  profile: the services started again, each recording from its start; closed loop, 16"
            + " clients, %ds of warm-up, then %ds recorded%n",
        warmUp.toSeconds(), measure.toSeconds());
    measured.parallelStream().forEach(ServiceProcess::stop);
    List<ServiceProcess> services =
        measured.stream()
            .map(service -> service.withJvmOptions(List.of(Profile.FROM_START), "profiled"))
            .toList();
    try {
      for (ServiceProcess service : services) {
        service.start();
        service.awaitReady(Duration.ofMinutes(2));
      }
      shop.restock(STOCK);
      closedLoop(shop, services, 16, Duration.ZERO, warmUp);
      return recorded(shop, services, measure);
    } finally {
      services.parallelStream().forEach(ServiceProcess::stop);
    }
  }

  private static Profile recorded(Shop shop, List<ServiceProcess> services, Duration measure)
      throws InterruptedException {
    services.forEach(Profile::start);
    Map<String, Map<Long, Map.Entry<String, Double>>> threadsBefore = new java.util.HashMap<>();
    Map<String, Map<String, Double>> threads = new java.util.HashMap<>();
    ClosedLoop loop =
        closedLoop(
            shop,
            services,
            16,
            Duration.ofSeconds(3),
            measure,
            () ->
                services.forEach(
                    service -> threadsBefore.put(service.name(), CpuTime.threads(service.pid()))),
            () ->
                services.forEach(
                    service ->
                        threads.put(
                            service.name(),
                            CpuTime.byThread(
                                threadsBefore.get(service.name()),
                                CpuTime.threads(service.pid())))));
    Path directory = Path.of("benchmarks", "target", "profiles");
    String largest =
        loop.cpuSeconds().entrySet().stream()
            .filter(e -> e.getKey().endsWith("-service"))
            .max(Map.Entry.comparingByValue())
            .orElseThrow()
            .getKey();
    Profile kept = null;
    for (ServiceProcess service : services) {
      Profile profile =
          Profile.stop(
              service,
              directory,
              loop.cpuSeconds().get(service.name() + "-service"),
              threads.get(service.name()));
      if (profile.service().equals(largest)) {
        kept = profile;
      }
    }
    System.out.printf(
        "    largest consumer %s, %d samples (%d interpreted); top frames %s%n",
        kept.service(),
        kept.samples(),
        kept.interpreted(),
        kept.selfFrames().keySet().stream().limit(5).toList());
    return kept;
  }

  /**
   * {@code clients} threads, each placing an order and following it until it ends, then the next.
   * Counts the orders that ended inside the window.
   */
  static ClosedLoop closedLoop(
      Shop shop, List<ServiceProcess> services, int clients, Duration warmUp, Duration measure)
      throws InterruptedException {
    return closedLoop(shop, services, clients, warmUp, measure, () -> {}, () -> {});
  }

  /**
   * @param atWindowStart called as the measured window begins, just before the CPU snapshot
   * @param atWindowEnd called as it ends, just after the CPU snapshot
   */
  static ClosedLoop closedLoop(
      Shop shop,
      List<ServiceProcess> services,
      int clients,
      Duration warmUp,
      Duration measure,
      Runnable atWindowStart,
      Runnable atWindowEnd)
      throws InterruptedException {
    AtomicBoolean stop = new AtomicBoolean();
    long start = System.nanoTime() + warmUp.toNanos();
    long end = start + measure.toNanos();
    AtomicLong completed = new AtomicLong();
    AtomicLong shipped = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    Queue<Long> latencies = new ConcurrentLinkedQueue<>();
    List<Thread> threads = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      Thread thread =
          new Thread(
              () -> {
                while (!stop.get()) {
                  try {
                    Shop.Placed placed = shop.place();
                    if (placed == null) {
                      count(errors, start, end);
                      Thread.sleep(POLL.toMillis());
                      continue;
                    }
                    Shop.End ended = awaitEnd(shop, placed.id(), stop);
                    long now = System.nanoTime();
                    if (ended == null || now < start || now > end) {
                      continue;
                    }
                    completed.incrementAndGet();
                    if (ended.status().equals("SHIPPED")) {
                      shipped.incrementAndGet();
                      latencies.add(Duration.between(placed.postedAt(), ended.at()).toNanos());
                    } else {
                      errors.incrementAndGet();
                    }
                  } catch (InterruptedException e) {
                    return;
                  } catch (IOException | RuntimeException e) {
                    count(errors, start, end);
                  }
                }
              },
              "bench-client-" + c);
      thread.start();
      threads.add(thread);
    }
    Thread.sleep(Math.max(0, (start - System.nanoTime()) / 1_000_000));
    atWindowStart.run();
    Map<String, Double> cpuBefore = CpuTime.snapshot(services);
    var threadsBefore = CpuTime.jvmThreads(services);
    Thread.sleep(Math.max(0, (end - System.nanoTime()) / 1_000_000));
    Map<String, Double> cpuUsed = CpuTime.between(cpuBefore, CpuTime.snapshot(services));
    Map<String, Double> compilersUsed =
        CpuTime.compilersBetween(threadsBefore, CpuTime.jvmThreads(services));
    atWindowEnd.run();
    stop.set(true);
    for (Thread thread : threads) {
      thread.join(ORDER_DEADLINE.toMillis());
    }
    double seconds = measure.toNanos() / 1e9;
    return new ClosedLoop(
        clients,
        completed.get() / seconds,
        completed.get(),
        shipped.get(),
        errors.get(),
        Recorder.Percentiles.of(latencies.stream().mapToLong(Long::longValue).toArray()),
        cpuUsed,
        compilersUsed);
  }

  private static void count(AtomicLong counter, long start, long end) {
    long now = System.nanoTime();
    if (now >= start && now <= end) {
      counter.incrementAndGet();
    }
  }

  /**
   * Follows the order's status events until it ends, as the shop offers its clients; should the
   * stream break, polls instead. {@code null} when it did not end in time or the run stopped. The
   * polling interval grows from 100 ms to 1 s, as a polite client's would: a slow shop is not made
   * slower by ever more polls (the latency comes from the order's timeline, not from the polls).
   */
  private static Shop.End awaitEnd(Shop shop, String id, AtomicBoolean stop)
      throws IOException, InterruptedException {
    try {
      Shop.End end = shop.follow(id, ORDER_DEADLINE);
      if (end != null) {
        return end;
      }
    } catch (IOException e) {
      // the stream broke: ask as a client without streams would
    }
    long deadline = System.nanoTime() + ORDER_DEADLINE.toNanos();
    long interval = POLL.toMillis();
    while (System.nanoTime() < deadline && !stop.get()) {
      Thread.sleep(interval);
      Shop.End end = shop.end(id);
      if (end != null) {
        return end;
      }
      interval = Math.min(1_000, interval * 3 / 2);
    }
    return null;
  }

  /**
   * Orders arrive every {@code 1/rate} seconds whatever the shop is doing; afterwards every
   * accepted order is polled until it ends. Latency is from the client's POST to the SHIPPED step
   * in the order's timeline (same machine, same clock), so the polling interval does not enter it.
   */
  static OpenLoop openLoop(Shop shop, int rate, Duration measure) throws InterruptedException {
    long period = 1_000_000_000L / rate;
    long count = rate * measure.toSeconds();
    List<CompletableFuture<Shop.Placed>> posts = new ArrayList<>();
    Instant windowStart = Instant.now();
    long start = System.nanoTime();
    for (long i = 0; i < count; i++) {
      long wait = start + i * period - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
      }
      posts.add(shop.placeAsync());
    }
    Instant windowEnd = windowStart.plus(measure);
    List<Shop.Placed> placed = new ArrayList<>();
    long errors = 0;
    for (CompletableFuture<Shop.Placed> post : posts) {
      try {
        Shop.Placed accepted = post.get(60, TimeUnit.SECONDS);
        if (accepted == null) {
          errors++;
        } else {
          placed.add(accepted);
        }
      } catch (Exception e) {
        errors++;
      }
    }
    Queue<Long> latencies = new ConcurrentLinkedQueue<>();
    AtomicLong shipped = new AtomicLong();
    AtomicLong shippedInWindow = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    // Passes over the orders still under way, each polled once per pass by eight threads, until
    // every order ended or the deadline passed.
    Queue<Shop.Placed> pending = new ConcurrentLinkedQueue<>(placed);
    ExecutorService pollers = Executors.newFixedThreadPool(8);
    long deadline = System.nanoTime() + ORDER_DEADLINE.toNanos();
    try {
      while (!pending.isEmpty() && System.nanoTime() < deadline) {
        List<Shop.Placed> pass = new ArrayList<>(pending);
        pending.clear();
        List<CompletableFuture<Void>> polls = new ArrayList<>();
        for (Shop.Placed order : pass) {
          polls.add(
              CompletableFuture.runAsync(
                  () -> {
                    if (System.nanoTime() > deadline) {
                      pending.add(order);
                      return;
                    }
                    try {
                      Shop.End end = shop.end(order.id());
                      if (end == null) {
                        pending.add(order);
                      } else if (end.status().equals("SHIPPED")) {
                        shipped.incrementAndGet();
                        latencies.add(Duration.between(order.postedAt(), end.at()).toNanos());
                        if (!end.at().isBefore(windowStart) && end.at().isBefore(windowEnd)) {
                          shippedInWindow.incrementAndGet();
                        }
                      } else {
                        failed.incrementAndGet();
                      }
                    } catch (IOException e) {
                      pending.add(order);
                    } catch (InterruptedException e) {
                      Thread.currentThread().interrupt();
                    }
                  },
                  pollers));
        }
        CompletableFuture.allOf(polls.toArray(CompletableFuture[]::new)).join();
        if (!pending.isEmpty()) {
          Thread.sleep(500);
        }
      }
    } finally {
      pollers.shutdownNow();
    }
    failed.addAndGet(pending.size());
    return new OpenLoop(
        rate,
        count,
        shipped.get(),
        errors + failed.get(),
        shippedInWindow.get() / (measure.toNanos() / 1e9),
        Recorder.Percentiles.of(latencies.stream().mapToLong(Long::longValue).toArray()));
  }

  /**
   * With native memory tracking on: the service's summary, to see what its resident memory holds.
   */
  private static void nativeMemory(ServiceProcess service)
      throws IOException, InterruptedException {
    Path file = Path.of("benchmarks", "target", service.name() + "-service-nmt.txt");
    new ProcessBuilder("jcmd", String.valueOf(service.pid()), "VM.native_memory", "summary")
        .redirectErrorStream(true)
        .redirectOutput(file.toFile())
        .start()
        .waitFor(30, TimeUnit.SECONDS);
  }

  private static void deleteQueues(String prefix) {
    CachingConnectionFactory connectionFactory = new CachingConnectionFactory(Brokers.HOST, 5672);
    try {
      RabbitAdmin admin = new RabbitAdmin(connectionFactory);
      for (String queue : QUEUES) {
        admin.deleteQueue(prefix + queue);
        admin.deleteQueue(prefix + queue + ".dlq");
        admin.deleteQueue(prefix + queue + ".security.dlq");
      }
    } catch (RuntimeException e) {
      System.out.println("  could not delete the saga's queues: " + e);
    } finally {
      connectionFactory.destroy();
    }
  }
}
