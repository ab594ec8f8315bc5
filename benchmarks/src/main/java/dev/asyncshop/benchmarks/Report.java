package dev.asyncshop.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Writes {@code docs/benchmarks.md} from one run's figures. */
final class Report {

  static final double RATIO_TARGET = 0.80;
  static final double CLOSED_LOOP_TARGET = 100;
  static final double CPU_PER_ORDER_TARGET_MS = 20;
  static final double P99_TARGET_MS = 500;
  static final int P99_TARGET_RATE = 50;
  static final long RSS_TARGET_BYTES = 350L * 1024 * 1024;
  static final Duration START_UP_TARGET = Duration.ofSeconds(8);

  /** Everything the report shows. */
  record Run(
      ZonedDateTime startedAt,
      Duration took,
      Machine machine,
      String loadAtEnd,
      Versions versions,
      String kafkaDescription,
      String command,
      List<TransportBenchmarks.Comparison> transports,
      SagaBenchmark.Result saga,
      String chartFile,
      String findings) {}

  private Report() {}

  static void write(Path file, Run run) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.writeString(file, markdown(run));
  }

  static String markdown(Run run) {
    StringBuilder md = new StringBuilder();
    line(md, "# Benchmarks");
    line(md, "");
    line(
        md,
        "Written by `%s` on %s; the figures are from that one run. The machine is shared and its"
            + " speed drifts, so the transport figures are ratios of two clients measured side by"
            + " side in the same run against the same brokers; read the absolute numbers as a sense"
            + " of scale only.",
        run.command(),
        run.startedAt().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")));
    line(md, "");
    line(md, "## Machine and versions");
    line(md, "");
    line(md, "| | |");
    line(md, "|---|---|");
    line(md, "| Cores | %d (%s) |", run.machine().cores(), run.machine().cpu());
    line(md, "| Memory | %s |", run.machine().memory());
    line(
        md,
        "| Load average (1, 5, 15 min) | at start %s; at end %s |",
        run.machine().loadAverage(),
        run.loadAtEnd());
    line(
        md,
        "| Java | %s (%s) |",
        System.getProperty("java.runtime.version"),
        System.getProperty("java.vm.name"));
    line(
        md,
        "| Spring Boot | %s (Spring AMQP %s, Spring Kafka %s, Lettuce %s) |",
        org.springframework.boot.SpringBootVersion.getVersion(),
        versionOf(org.springframework.amqp.core.Message.class),
        versionOf(org.springframework.kafka.core.KafkaTemplate.class),
        versionOf(io.lettuce.core.RedisClient.class));
    line(md, "| RabbitMQ | %s, 127.0.0.1:5672 |", run.versions().rabbitmq);
    line(md, "| Redis | %s, 127.0.0.1:6379 |", run.versions().redis);
    line(md, "| Kafka | %s, %s |", run.versions().kafka, run.kafkaDescription());
    line(md, "| PostgreSQL | %s, 127.0.0.1:5432 |", run.versions().postgres);
    line(
        md,
        "| Run time | %s (build included when started by `./benchmarks/run`) |",
        minutes(run.took()));
    line(md, "");
    line(
        md,
        "Reproduce with `%s` (RabbitMQ, Redis and PostgreSQL on 127.0.0.1; see the README).",
        run.command());
    line(md, "");
    targets(md, run);
    for (TransportBenchmarks.Comparison comparison : run.transports()) {
      transport(md, comparison);
    }
    saga(md, run);
    if (!run.findings().isBlank()) {
      line(md, "");
      md.append(run.findings().trim()).append('\n');
    }
    return md.toString();
  }

  private static void targets(StringBuilder md, Run run) {
    line(md, "## Targets");
    line(md, "");
    line(md, "| Target | Measured | |");
    line(md, "|---|---|---|");
    for (TransportBenchmarks.Comparison comparison : run.transports()) {
      line(
          md,
          "| %s: library at %.0f%% or more of the raw client's throughput | %.0f%% (%s vs %s msg/s)"
              + " | %s |",
          comparison.transport(),
          RATIO_TARGET * 100,
          comparison.ratio() * 100,
          number(comparison.librarySide().throughput()),
          number(comparison.rawSide().throughput()),
          met(comparison.ratio() >= RATIO_TARGET));
    }
    SagaBenchmark.Result saga = run.saga();
    if (saga != null) {
      SagaBenchmark.ClosedLoop best = saga.best();
      line(
          md,
          "| Saga closed loop: %.0f orders/s or more | %.1f orders/s (%d clients) | %s |",
          CLOSED_LOOP_TARGET,
          best.ordersPerSecond(),
          best.clients(),
          met(best.ordersPerSecond() >= CLOSED_LOOP_TARGET));
      SagaBenchmark.ClosedLoop cheapest = saga.cheapest();
      line(
          md,
          "| Saga CPU per order, every process of the shop: %.0f ms or less | %.1f ms (%d clients)"
              + " | %s |",
          CPU_PER_ORDER_TARGET_MS,
          cheapest.shopCpuMillisPerOrder(),
          cheapest.clients(),
          met(cheapest.shopCpuMillisPerOrder() <= CPU_PER_ORDER_TARGET_MS));
      saga.open().stream()
          .filter(open -> open.rate() == P99_TARGET_RATE)
          .findFirst()
          .ifPresent(
              open ->
                  line(
                      md,
                      "| Saga p99 POST to SHIPPED at %d orders/s: %.0f ms or less, no errors | %s,"
                          + " %d errors | %s |",
                      P99_TARGET_RATE,
                      P99_TARGET_MS,
                      millis(open.latency().p99()) + " ms",
                      open.errors(),
                      met(open.latency().p99() <= P99_TARGET_MS && open.errors() == 0)));
      for (SagaBenchmark.ServiceFigures service : saga.services()) {
        line(
            md,
            "| %s-service under %d MB resident and up in under %d s | %s, %s | %s |",
            service.name(),
            RSS_TARGET_BYTES / 1024 / 1024,
            START_UP_TARGET.toSeconds(),
            megabytes(service.residentBytes()),
            seconds(service.startUp()),
            met(
                service.residentBytes() >= 0
                    && service.residentBytes() < RSS_TARGET_BYTES
                    && service.startUp().compareTo(START_UP_TARGET) < 0));
      }
    }
    line(md, "");
  }

  private static void transport(StringBuilder md, TransportBenchmarks.Comparison comparison) {
    TransportBenchmarks.Side raw = comparison.rawSide();
    TransportBenchmarks.Side library = comparison.librarySide();
    line(md, "## %s", comparison.transport());
    line(md, "");
    line(md, "- **raw**: %s", comparison.raw());
    line(md, "- **library**: %s", comparison.library());
    line(
        md,
        "- %d sender threads on both sides, each waiting for the broker's confirm before its next"
            + " send; full speed twice per side (raw, library, library, raw; %s), then %d messages/s"
            + " open loop. Latency: from the send call to the handler, one clock.",
        comparison.senders(),
        "mean of the two",
        comparison.rate());
    line(md, "");
    line(md, "| | raw | library | library/raw |");
    line(md, "|---|---:|---:|---:|");
    line(
        md,
        "| Throughput at full speed (handled msg/s) | %s | %s | **%.2f** |",
        number(raw.throughput()),
        number(library.throughput()),
        library.throughput() / raw.throughput());
    line(
        md,
        "| Sends confirmed at full speed (msg/s) | %s | %s | %.2f |",
        number(raw.sentPerSecond()),
        number(library.sentPerSecond()),
        library.sentPerSecond() / raw.sentPerSecond());
    percentiles(md, "full speed", raw.fullSpeedLatency(), library.fullSpeedLatency());
    percentiles(
        md, comparison.rate() + "/s", raw.fixedRate().latency(), library.fixedRate().latency());
    line(
        md,
        "| Failed sends / messages never handled | %d / %d | %d / %d | |",
        raw.fixedRate().errors() + raw.fullSpeed().stream().mapToLong(Load.Result::errors).sum(),
        raw.lost(),
        library.fixedRate().errors()
            + library.fullSpeed().stream().mapToLong(Load.Result::errors).sum(),
        library.lost());
    line(md, "");
    line(
        md,
        "Rounds at full speed (handled msg/s): raw %s; library %s.",
        rounds(raw),
        rounds(library));
    line(md, "");
    if (!comparison.variants().isEmpty()) {
      line(
          md,
          "Where the gap goes: the library with some of its work switched off, one full-speed round"
              + " each, against the raw mean.");
      line(md, "");
      line(md, "| | Throughput (handled msg/s) | / raw | p50 / p95 / p99 (ms) |");
      line(md, "|---|---:|---:|---:|");
      line(
          md,
          "| library, everything on | %s | %.2f | %s |",
          number(library.throughput()),
          library.throughput() / raw.throughput(),
          triple(library.fullSpeedLatency()));
      for (TransportBenchmarks.Variant variant : comparison.variants()) {
        line(
            md,
            "| %s | %s | %.2f | %s |",
            variant.name(),
            number(variant.result().handledPerSecond()),
            variant.result().handledPerSecond() / raw.throughput(),
            triple(variant.result().latency()));
      }
      line(md, "");
    }
  }

  private static String rounds(TransportBenchmarks.Side side) {
    return String.join(
        ", ", side.fullSpeed().stream().map(r -> number(r.handledPerSecond())).toList());
  }

  private static void percentiles(
      StringBuilder md, String when, Recorder.Percentiles raw, Recorder.Percentiles library) {
    line(
        md,
        "| Latency p50 / p95 / p99 at %s (ms) | %s | %s | %.2f / %.2f / %.2f |",
        when,
        triple(raw),
        triple(library),
        library.p50() / raw.p50(),
        library.p95() / raw.p95(),
        library.p99() / raw.p99());
  }

  private static void saga(StringBuilder md, Run run) {
    SagaBenchmark.Result saga = run.saga();
    if (saga == null) {
      return;
    }
    line(md, "## The order saga");
    line(md, "");
    line(
        md,
        "The four services as processes, started as the Dockerfile starts them: each `-exec.jar`"
            + " extracted (`-Djarmode=tools extract`), with a class data sharing archive written by"
            + " `deploy/train-cds.sh` (`-XX:SharedArchiveFile`), and the JVM options `%s` (what the"
            + " Dockerfile and the 512 MiB memory limit of `k8s/` give a service); each with its own"
            + " new database and a destination prefix of this run, and every guarantee on: the outbox,"
            + " idempotency, the audit trail, every message signed (Ed25519, `verify=enforce`) and"
            + " the card token and address encrypted, bearer tokens of the run's authorization"
            + " server. Started one at a time; start-up is"
            + " from process start to `/actuator/health/readiness` UP. The load generator (in the"
            + " benchmark JVM, `java.net.http`) orders one unit of a random SKU of eight, restocked"
            + " to %d first, paid with a card the gateway authorizes.",
        String.join(" ", saga.jvmOptions()),
        1_000_000);
    line(md, "");
    line(md, "### Closed loop");
    line(md, "");
    line(
        md,
        "Each client places an order, follows its status events (`GET /orders/{id}/events`,"
            + " server-sent events, as the shop offers them to its clients) until it ends, then"
            + " places the next. Throughput counts the orders that reached an end state in the"
            + " window.");
    line(md, "");
    line(
        md,
        "| Clients | Orders/s reaching an end state | Shipped | Errors | POST to SHIPPED p50 / p95 / p99 (ms) |");
    line(md, "|---:|---:|---:|---:|---:|");
    for (SagaBenchmark.ClosedLoop closed : saga.closed()) {
      line(
          md,
          "| %d | %.1f | %d | %d | %s |",
          closed.clients(),
          closed.ordersPerSecond(),
          closed.shipped(),
          closed.errors(),
          triple(closed.latency()));
    }
    line(md, "");
    line(md, "### CPU per order");
    line(md, "");
    line(
        md,
        "CPU time (user and system, from `/proc/<pid>/stat`) each process used in the closed loop's"
            + " window, divided by the orders that ended in it: where the two cores go. PostgreSQL"
            + " sums every process of the cluster (its backends, writer, WAL writer and the rest).");
    line(md, "");
    StringBuilder header = new StringBuilder("| Process |");
    StringBuilder rule = new StringBuilder("|---|");
    for (SagaBenchmark.ClosedLoop closed : saga.closed()) {
      header.append(format(" %d clients (ms per order) |", closed.clients()));
      rule.append("---:|");
    }
    line(md, header.toString());
    line(md, rule.toString());
    for (String process : saga.closed().get(0).cpuSeconds().keySet()) {
      StringBuilder row = new StringBuilder("| " + process + " |");
      for (SagaBenchmark.ClosedLoop closed : saga.closed()) {
        row.append(format(" %.1f |", closed.cpuMillisPerOrder().getOrDefault(process, 0.0)));
      }
      line(md, row.toString());
    }
    StringBuilder total = new StringBuilder("| **the shop** (all but the load generator) |");
    StringBuilder compilers =
        new StringBuilder("| of which the JIT compiler threads (C1, C2) of its JVMs |");
    StringBuilder compiled = new StringBuilder("| the shop without JIT compilation |");
    for (SagaBenchmark.ClosedLoop closed : saga.closed()) {
      total.append(format(" **%.1f** |", closed.shopCpuMillisPerOrder()));
      compilers.append(format(" %.1f |", closed.shopCompilerMillisPerOrder()));
      compiled.append(
          format(" %.1f |", closed.shopCpuMillisPerOrder() - closed.shopCompilerMillisPerOrder()));
    }
    line(md, total.toString());
    line(md, compilers.toString());
    line(md, compiled.toString());
    line(md, "");
    line(
        md,
        "The JIT compilers' share (their threads' CPU from `/proc/<pid>/task`, in the four services"
            + " and Kafka) is what a young process pays to compile its code, once: a service that"
            + " has run for hours no longer pays it, so the last line is nearer what an order costs"
            + " a shop in its steady state.");
    line(md, "");
    idle(md, saga);
    profile(md, saga.profile(), saga.warmUp().toSeconds());
    line(md, "### Open loop");
    line(md, "");
    line(
        md,
        "Orders arrive at a fixed rate whatever the shop is doing; every accepted order is then"
            + " polled to its end. Latency is from the client's POST to the `SHIPPED` step of the"
            + " order's timeline (same machine, same clock), so the polling does not enter it. An"
            + " error is a POST not accepted, or an order that did not ship within a minute after the"
            + " arrivals.");
    line(md, "");
    line(
        md,
        "| Arrival rate (orders/s) | Orders | Shipped/s during arrivals | p50 (ms) | p95 (ms) | p99 (ms) | Error rate |");
    line(md, "|---:|---:|---:|---:|---:|---:|---:|");
    for (SagaBenchmark.OpenLoop open : saga.open()) {
      line(
          md,
          "| %d | %d | %.1f | %s | %s | %s | %.2f%% (%d) |",
          open.rate(),
          open.attempted(),
          open.shippedPerSecond(),
          millis(open.latency().p50()),
          millis(open.latency().p95()),
          millis(open.latency().p99()),
          open.errorRate() * 100,
          open.errors());
    }
    line(md, "");
    line(md, "![POST to SHIPPED latency against arrival rate](%s)", run.chartFile());
    line(md, "");
    line(md, "### The services after the run");
    line(md, "");
    line(
        md,
        "| Service | Start-up (process start to ready) | Resident memory (VmRSS) | Heap used |");
    line(md, "|---|---:|---:|---:|");
    for (SagaBenchmark.ServiceFigures service : saga.services()) {
      line(
          md,
          "| %s-service | %s | %s | %s |",
          service.name(),
          seconds(service.startUp()),
          megabytes(service.residentBytes()),
          megabytes(service.heapUsedBytes()));
    }
    line(md, "");
    line(
        md,
        "Heap used is `jvm.memory.used` with `area=heap` (summed over the pools) from each"
            + " service's `/actuator/prometheus`; resident memory is `VmRSS` from"
            + " `/proc/<pid>/status`.");
  }

  private static String versionOf(Class<?> type) {
    String version = type.getPackage().getImplementationVersion();
    return version == null ? "?" : version;
  }

  private static String met(boolean met) {
    return met ? "met" : "**missed**";
  }

  private static String triple(Recorder.Percentiles p) {
    return millis(p.p50()) + " / " + millis(p.p95()) + " / " + millis(p.p99());
  }

  static String millis(double ms) {
    if (Double.isNaN(ms)) {
      return "–";
    }
    return ms >= 100 ? format("%.0f", ms) : ms >= 10 ? format("%.1f", ms) : format("%.2f", ms);
  }

  private static void idle(StringBuilder md, SagaBenchmark.Result saga) {
    if (saga.idleCpuPerSecond() == null || saga.idleCpuPerSecond().isEmpty()) {
      return;
    }
    SagaBenchmark.ClosedLoop first = saga.closed().get(0);
    line(
        md,
        "Part of that is paid whatever the load: with no order placed (after the warm-up), each"
            + " process still used the CPU below, per second, and what it comes to per order at the"
            + " %d-client closed loop's %.1f orders/s.",
        first.clients(),
        first.ordersPerSecond());
    line(md, "");
    line(
        md,
        "| Process | Idle CPU (ms per second) | Per order at %d clients (ms) |",
        first.clients());
    line(md, "|---|---:|---:|");
    double shop = 0;
    for (Map.Entry<String, Double> e : saga.idleCpuPerSecond().entrySet()) {
      double perOrder =
          first.ordersPerSecond() == 0 ? 0 : e.getValue() * 1000 / first.ordersPerSecond();
      if (!e.getKey().equals(CpuTime.LOAD_GENERATOR)) {
        shop += perOrder;
      }
      line(md, "| %s | %.1f | %.1f |", e.getKey(), e.getValue() * 1000, perOrder);
    }
    line(md, "| **the shop** | | **%.1f** |", shop);
    line(md, "");
  }

  private static void profile(StringBuilder md, Profile profile, long warmUpSeconds) {
    if (profile == null) {
      return;
    }
    line(md, "### Where the largest consumer's CPU goes");
    line(md, "");
    line(
        md,
        "One more closed loop of 16 clients, last of all (after the open loops and the memory"
            + " figures), in the four services started again, each with a Flight Recorder"
            + " recording (settings `profile`) running from its start: the first recording a"
            + " running JVM starts costs it much of its compiled code, and a profile taken then"
            + " shows its interpreter. After the same %d s of warm-up as the loops measured above,"
            + " a second recording covered the loop; %s used the most CPU. Of its %,d Java"
            + " execution samples, %,d (%.1f%%) were of interpreted code, in services some 20 s"
            + " younger than in the 16-client loop above. They are counted by thread pool, by the"
            + " method on top of the stack (where the CPU is spent), by that method's package and"
            + " by method"
            + " anywhere in the stack (what it is spent for). The recordings are left in"
            + " `benchmarks/target/profiles`.",
        warmUpSeconds,
        profile.service(),
        profile.samples(),
        profile.interpreted(),
        profile.samples() == 0 ? 0 : 100.0 * profile.interpreted() / profile.samples());
    line(md, "");
    line(md, "| Thread (CPU from `/proc`, compiler and GC included) | CPU s | Share |");
    line(md, "|---|---:|---:|");
    double all = profile.cpuSeconds();
    profile
        .cpuByThread()
        .forEach(
            (name, seconds) ->
                line(
                    md,
                    "| `%s` | %.2f | %.1f%% |",
                    name,
                    seconds,
                    all == 0 ? 0 : 100 * seconds / all));
    line(md, "");
    samples(md, "Thread (Java samples)", profile.byThread(), profile.samples());
    samples(md, "Method on top of the stack", profile.selfFrames(), profile.samples());
    samples(md, "Package of the method on top of the stack", profile.packages(), profile.samples());
    samples(md, "Method anywhere in the stack", profile.totalFrames(), profile.samples());
  }

  private static void samples(StringBuilder md, String what, Map<String, Long> rows, long all) {
    line(md, "| %s | Samples | Share |", what);
    line(md, "|---|---:|---:|");
    rows.forEach(
        (name, count) ->
            line(md, "| `%s` | %,d | %.1f%% |", name, count, all == 0 ? 0 : 100.0 * count / all));
    line(md, "");
  }

  private static String number(double value) {
    return format("%,.0f", value);
  }

  private static String megabytes(long bytes) {
    return bytes < 0 ? "no answer" : format("%.0f MB", bytes / 1024.0 / 1024.0);
  }

  private static String seconds(Duration duration) {
    return format("%.1f s", duration.toMillis() / 1000.0);
  }

  private static String minutes(Duration duration) {
    return format("%d min %02d s", duration.toMinutes(), duration.toSecondsPart());
  }

  private static void line(StringBuilder md, String pattern, Object... arguments) {
    md.append(arguments.length == 0 ? pattern : format(pattern, arguments)).append('\n');
  }

  private static String format(String pattern, Object... arguments) {
    return String.format(Locale.ROOT, pattern, arguments);
  }

  static ZonedDateTime now() {
    return ZonedDateTime.now(ZoneOffset.UTC);
  }
}
