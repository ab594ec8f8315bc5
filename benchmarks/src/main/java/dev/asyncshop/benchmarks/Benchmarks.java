package dev.asyncshop.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.common.utils.AppInfoParser;

/**
 * Runs every benchmark and writes the report. Started by {@code ./benchmarks/run} from the
 * repository root, after the build; options (all optional):
 *
 * <ul>
 *   <li>{@code --only=rabbitmq,kafka,redis,saga} runs only those parts
 *   <li>{@code --out=DIR} writes {@code benchmarks.md} and {@code benchmarks-latency.svg} there
 *       (default {@code docs})
 *   <li>{@code --kafka=HOST:PORT} uses that Kafka broker instead of starting one of its own (its
 *       CPU is then not counted)
 *   <li>{@code --quick} shorter phases, to try the benchmark out; not for the report
 *   <li>{@code --variants=tracing} runs only the library variants whose name contains the word
 *   <li>{@code --warm-up=30} seconds of the saga's warm-up closed loop
 *   <li>{@code --senders=rabbitmq:8,kafka:8,redis:8}, {@code --rate=500}, {@code --clients=16,64},
 *       {@code --rates=25,50,100,200}
 *   <li>{@code --service-jvm="-XX:NativeMemoryTracking=summary"} JVM options for the services,
 *       after the image's own (which the Dockerfile gives)
 * </ul>
 */
public final class Benchmarks {

  static final String COMMAND = "./benchmarks/run";

  private Benchmarks() {}

  public static void main(String[] args) {
    int status = 0;
    try {
      run(args);
    } catch (Exception e) {
      e.printStackTrace();
      status = 1;
    }
    // Client threads and the embedded broker would keep the JVM alive.
    System.exit(status);
  }

  private static void run(String[] args) throws Exception {
    Map<String, String> options = options(args);
    ZonedDateTime startedAt = ZonedDateTime.now(ZoneOffset.UTC);
    String startedEnv = System.getenv("BENCHMARKS_STARTED");
    Instant started =
        startedEnv != null ? Instant.ofEpochSecond(Long.parseLong(startedEnv)) : Instant.now();
    Machine machine = Machine.describe();
    boolean quick = options.containsKey("quick");
    Set<String> only = Set.of(options.getOrDefault("only", "rabbitmq,kafka,redis,saga").split(","));
    Path out = Path.of(options.getOrDefault("out", "docs"));

    System.out.printf(
        "Benchmarks on %d cores, load average %s%n", machine.cores(), machine.loadAverage());
    Brokers.requireAll();
    String kafka = Brokers.kafka(options.get("kafka"));
    Versions versions = new Versions();
    versions.kafka = AppInfoParser.getVersion();
    versions.postgres = Databases.version();
    String kafkaDescription =
        Brokers.kafkaPid() > 0
            ? "one broker process of this run (single-node KRaft, `local/kafka/server.properties`), "
                + kafka
            : "the broker at " + kafka;
    System.out.println("Kafka: " + kafkaDescription);

    TransportBenchmarks.Settings transportSettings =
        new TransportBenchmarks.Settings(
            Duration.ofSeconds(quick ? 2 : 3),
            Duration.ofSeconds(quick ? 4 : 8),
            Duration.ofSeconds(quick ? 4 : 10),
            Integer.parseInt(options.getOrDefault("rate", "500")),
            senders(options.getOrDefault("senders", "rabbitmq:8,kafka:8,redis:8")),
            options.getOrDefault("variants", ""));
    List<TransportBenchmarks.Comparison> transports =
        TransportBenchmarks.run(kafka, transportSettings, only, versions);

    SagaBenchmark.Result saga = null;
    if (only.contains("saga")) {
      System.out.println("The order saga: four services as processes");
      SagaBenchmark.Settings sagaSettings =
          new SagaBenchmark.Settings(
              integers(options.getOrDefault("clients", "16,64")),
              // Long enough for the JIT compilers to be done with the hot paths: ten seconds left
              // them using a sixth of order-service's CPU in the measured window.
              Duration.ofSeconds(
                  Integer.parseInt(options.getOrDefault("warm-up", quick ? "5" : "30"))),
              Duration.ofSeconds(quick ? 8 : 15),
              integers(options.getOrDefault("rates", "25,50,100,200")),
              Duration.ofSeconds(quick ? 8 : 20),
              Arrays.stream(options.getOrDefault("service-jvm", "").split(" "))
                  .filter(option -> !option.isBlank())
                  .toList());
      saga = SagaBenchmark.run(kafka, sagaSettings, versions);
    }

    Path findings = Path.of("benchmarks", "FINDINGS.md");
    String chartFile = "benchmarks-latency.svg";
    Report.Run run =
        new Report.Run(
            startedAt,
            Duration.between(started, Instant.now()),
            machine,
            Machine.currentLoadAverage(),
            versions,
            kafkaDescription,
            COMMAND,
            transports,
            saga,
            chartFile,
            Files.exists(findings) ? Files.readString(findings) : "");
    Files.createDirectories(out);
    if (saga != null) {
      Files.writeString(
          out.resolve(chartFile), Chart.latencyAgainstRate(saga.open(), Report.P99_TARGET_MS));
    }
    Report.write(out.resolve("benchmarks.md"), run);
    System.out.printf(
        "Wrote %s in %s%n", out.resolve("benchmarks.md"), Duration.between(started, Instant.now()));
  }

  private static Map<String, String> options(String[] args) {
    Map<String, String> options = new LinkedHashMap<>();
    for (String arg : args) {
      if (!arg.startsWith("--")) {
        throw new IllegalArgumentException("Unknown argument " + arg);
      }
      int equals = arg.indexOf('=');
      if (equals < 0) {
        options.put(arg.substring(2), "true");
      } else {
        options.put(arg.substring(2, equals), arg.substring(equals + 1));
      }
    }
    return options;
  }

  private static List<Integer> integers(String list) {
    return Arrays.stream(list.split(",")).map(String::trim).map(Integer::parseInt).toList();
  }

  private static Map<String, Integer> senders(String list) {
    return Arrays.stream(list.split(","))
        .map(entry -> entry.split(":"))
        .collect(Collectors.toMap(e -> e[0].trim(), e -> Integer.parseInt(e[1].trim())));
  }
}
