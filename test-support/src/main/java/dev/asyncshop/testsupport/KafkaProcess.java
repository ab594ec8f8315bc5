package dev.asyncshop.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;

/**
 * A Kafka broker as its own process, as {@code ./asyncshop up} runs it: {@code
 * local/kafka/server.properties} (single-node KRaft) with ports of its own, storage formatted once,
 * then {@code kafka.Kafka}. Unlike the embedded broker it can be killed with SIGKILL and started
 * again on the same data, which is what the chaos tests do to it, and its CPU time is its own,
 * which is what the benchmarks count. Its classes are the Kafka broker of the calling JVM's class
 * path (spring-kafka-test's), the same version the local run fetches.
 */
public final class KafkaProcess {

  private final Path home;
  private final int port = ServiceProcess.freePort();
  private final int controllerPort = ServiceProcess.freePort();
  private Process process;

  public KafkaProcess(Path work) {
    this.home = work.resolve("kafka").toAbsolutePath();
  }

  public String bootstrapServers() {
    return "127.0.0.1:" + port;
  }

  /** The broker's process id; -1 while it does not run. */
  public synchronized long pid() {
    return process == null ? -1 : process.pid();
  }

  /** Formats the storage on first start, starts the broker and waits until it answers. */
  public synchronized void start() {
    try {
      Path config = writeConfig();
      if (!Files.exists(home.resolve("data").resolve("meta.properties"))) {
        run(
            List.of(
                "kafka.tools.StorageTool",
                "format",
                "-t",
                Uuid.randomUuid().toString(),
                "-c",
                config.toString()),
            home.resolve("format.log"));
      }
      process =
          new ProcessBuilder(command(List.of("kafka.Kafka", config.toString())))
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(home.resolve("kafka.log").toFile()))
              .start();
      // Never outlive the tests, also when their JVM is stopped early.
      Process started = process;
      Runtime.getRuntime()
          .addShutdownHook(new Thread(started::destroyForcibly, "kafka-process-stop"));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot start Kafka in " + home, e);
    }
    awaitReady(Duration.ofSeconds(90));
  }

  /** SIGKILL: no controlled shutdown, nothing flushed that the broker had not written. */
  public synchronized void kill() {
    if (process != null) {
      process.destroyForcibly();
      waitFor(process);
      process = null;
    }
  }

  /** A controlled shutdown, at the end of the tests; SIGKILL if it takes longer than 30 s. */
  public synchronized void stop() {
    if (process != null) {
      process.destroy();
      waitFor(process);
      process.destroyForcibly();
      process = null;
    }
  }

  private Path writeConfig() throws IOException {
    Files.createDirectories(home.resolve("data"));
    String config =
        Files.readString(RepositoryRoot.path().resolve("local/kafka/server.properties"))
            .replace("127.0.0.1:9092", "127.0.0.1:" + port)
            .replace("127.0.0.1:9093", "127.0.0.1:" + controllerPort);
    config += "log.dirs=" + home.resolve("data") + "\n";
    // A killed broker recovers its log segments on start; keep that quick on a small log.
    config += "log.segment.bytes=16777216\n";
    return Files.writeString(home.resolve("server.properties"), config);
  }

  /** The broker's command: this JVM's class path, which holds the Kafka broker. */
  private List<String> command(List<String> mainAndArguments) throws IOException {
    Path logback =
        Files.writeString(
            home.resolve("logback.xml"),
            """
            <configuration>
              <appender name="file" class="ch.qos.logback.core.FileAppender">
                <file>%s</file>
                <encoder><pattern>%%d %%-5p [%%c] %%m%%n</pattern></encoder>
              </appender>
              <logger name="kafka.request.logger" level="WARN"/>
              <root level="INFO"><appender-ref ref="file"/></root>
            </configuration>
            """
                .formatted(home.resolve("server.log")));
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx512m");
    command.add("-Dlogback.configurationFile=" + logback);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.addAll(mainAndArguments);
    return command;
  }

  private void run(List<String> mainAndArguments, Path output) throws IOException {
    Process step =
        new ProcessBuilder(command(mainAndArguments))
            .redirectErrorStream(true)
            .redirectOutput(output.toFile())
            .start();
    try {
      if (!step.waitFor(60, TimeUnit.SECONDS) || step.exitValue() != 0) {
        step.destroyForcibly();
        throw new IllegalStateException(
            "Kafka storage format failed; see " + output + ":\n" + Files.readString(output));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while formatting Kafka's storage", e);
    }
  }

  private void awaitReady(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Map<String, Object> config =
        Map.of(
            AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
            AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2_000,
            AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3_000);
    RuntimeException last = null;
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("Kafka exited during start-up; see " + home);
      }
      try (Admin admin = Admin.create(config)) {
        admin.describeCluster().nodes().get(3, TimeUnit.SECONDS);
        return;
      } catch (Exception e) {
        last = new IllegalStateException(e);
      }
    }
    throw new IllegalStateException("Kafka not ready within " + timeout + "; see " + home, last);
  }

  private static void waitFor(Process process) {
    try {
      process.waitFor(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
