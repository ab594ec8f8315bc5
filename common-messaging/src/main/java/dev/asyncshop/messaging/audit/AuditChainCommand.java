package dev.asyncshop.messaging.audit;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.KafkaException;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Verifies the audit topic's chains from a terminal and prints a verdict per chain: {@code
 * ./asyncshop verify-audit}, or any Java with kafka-clients and Jackson on the class path. Exits 0
 * when no chain read is broken, 1 when one is, 2 when the topic could not be read or the arguments
 * are wrong.
 */
public final class AuditChainCommand {

  static final String USAGE =
      """
      usage: verify-audit [--bootstrap-servers HOST:PORT] [--topic NAME] [--since TIME]
                          [--limit RECORDS] [--timeout DURATION] [--settle DURATION]
                          [--client-config FILE] [--json]
        --bootstrap-servers  Kafka's address (default 127.0.0.1:9092)
        --topic              the audit topic (default audit.events)
        --since              read from this time (2026-12-03T10:00:00Z, or PT24H for the last
                             24 hours) instead of the beginning
        --limit              the most records to read (default 500000)
        --timeout            the longest to read (default PT60S)
        --settle             how old a record must be before a hole before it counts (default PT2M)
        --client-config      Kafka client settings (security.protocol, sasl.*), one per line
        --json               print the report as JSON instead of one line per chain
      """;

  private AuditChainCommand() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    Map<String, String> options = new HashMap<>();
    boolean asJson = false;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (arg.equals("--json")) {
        asJson = true;
      } else if (arg.equals("--help") || arg.equals("-h")) {
        out.print(USAGE);
        return 0;
      } else if (arg.startsWith("--") && arg.contains("=")) {
        options.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
      } else if (arg.startsWith("--") && i + 1 < args.length) {
        options.put(arg.substring(2), args[++i]);
      } else {
        err.println("Unknown argument: " + arg);
        err.print(USAGE);
        return 2;
      }
    }
    Map<String, Object> config = new HashMap<>();
    Instant since;
    long limit;
    Duration timeout;
    Duration settle;
    try {
      String file = options.remove("client-config");
      if (file != null) {
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(Path.of(file))) {
          properties.load(in);
        }
        properties.forEach((key, value) -> config.put(key.toString(), value));
      }
      config.put(
          CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG,
          options.getOrDefault(
              "bootstrap-servers",
              (String)
                  config.getOrDefault(
                      CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9092")));
      options.remove("bootstrap-servers");
      since = since(options.remove("since"));
      limit = Long.parseLong(options.getOrDefault("limit", "500000"));
      timeout = Duration.parse(options.getOrDefault("timeout", "PT60S"));
      settle = Duration.parse(options.getOrDefault("settle", "PT2M"));
      options.remove("limit");
      options.remove("timeout");
      options.remove("settle");
    } catch (IOException | NumberFormatException | DateTimeParseException e) {
      err.println("Cannot use the arguments: " + e.getMessage());
      err.print(USAGE);
      return 2;
    }
    String topic = options.getOrDefault("topic", "audit.events");
    options.remove("topic");
    if (!options.isEmpty()) {
      err.println("Unknown options: " + options.keySet());
      err.print(USAGE);
      return 2;
    }
    AuditChainReport report;
    try {
      report = new AuditChainVerifier(config, settle).verify(topic, since, limit, timeout);
    } catch (KafkaException e) {
      err.println("The audit topic " + topic + " could not be read: " + e.getMessage());
      return 2;
    }
    if (asJson) {
      out.println(
          JsonMapper.builder()
              .enable(SerializationFeature.INDENT_OUTPUT)
              .build()
              .writeValueAsString(report));
    } else {
      print(report, out);
    }
    return report.broken() ? 1 : 0;
  }

  private static void print(AuditChainReport report, PrintStream out) {
    out.printf(
        "%s: %d records read%s up to the end it had at %s, %d of them without a chain;"
            + " chains: %d%n",
        report.topic(),
        report.recordsRead(),
        report.since() == null ? " from the beginning" : " since " + report.since(),
        report.readAt(),
        report.unchained(),
        report.chains().size());
    if (report.incomplete() != null) {
      out.println("Not every record was read: " + report.incomplete());
    }
    for (ChainVerdict chain : report.chains()) {
      out.println(chain.summary());
    }
    long broken = report.chains().stream().filter(c -> c.brokenLink() != null).count();
    out.println(broken == 0 ? "No chain is broken." : broken + " broken chains.");
  }

  private static @Nullable Instant since(@Nullable String text) {
    if (text == null) {
      return null;
    }
    if (text.startsWith("P") || text.startsWith("p")) {
      return Instant.now().minus(Duration.parse(text));
    }
    return Instant.parse(text);
  }
}
