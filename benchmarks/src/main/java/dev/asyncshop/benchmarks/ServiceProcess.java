package dev.asyncshop.benchmarks;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One service as its own JVM, started the way the Dockerfile starts it: from the runnable jar the
 * build produced, extracted, with a class data sharing archive written by {@code
 * deploy/train-cds.sh}; its output goes to {@code benchmarks/target/<name>.log}.
 */
final class ServiceProcess {

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  final String name;
  final int port;
  private final Path jar;
  private final List<String> jvmOptions;
  private final List<String> arguments;
  private final Path log;
  private final Path extracted;
  private Process process;
  private long startedNanos;
  private Duration startUp;

  ServiceProcess(String name, int port, List<String> jvmOptions, List<String> arguments) {
    this.name = name;
    this.port = port;
    this.jvmOptions = List.copyOf(jvmOptions);
    this.arguments = List.copyOf(arguments);
    Path moduleTarget = Path.of(name + "-service", "target").toAbsolutePath().normalize();
    try (var jars = Files.list(moduleTarget)) {
      this.jar =
          jars.filter(p -> p.getFileName().toString().endsWith("-exec.jar"))
              .findFirst()
              .orElseThrow(() -> new IllegalStateException("No runnable jar in " + moduleTarget));
    } catch (IOException e) {
      throw new IllegalStateException(
          "Cannot read " + moduleTarget + " (build first; ./benchmarks/run does): " + e, e);
    }
    this.log = Path.of("benchmarks", "target", name + "-service.log").toAbsolutePath();
    this.extracted = Path.of("benchmarks", "target", "apps", name).toAbsolutePath();
  }

  private Path appJar() {
    return extracted.resolve("app.jar");
  }

  private Path archive() {
    return extracted.resolve("app.jsa");
  }

  /**
   * Extracts the runnable jar and writes its class data sharing archive, as the image build does;
   * kept from an earlier run while the jar has not changed since.
   */
  void prepare() throws IOException, InterruptedException {
    if (Files.exists(archive())
        && Files.getLastModifiedTime(archive()).compareTo(Files.getLastModifiedTime(jar)) > 0) {
      return;
    }
    deleteRecursively(extracted);
    Files.createDirectories(extracted);
    run(
        List.of(
            java(),
            "-Djarmode=tools",
            "-jar",
            jar.toString(),
            "extract",
            "--destination",
            extracted.toString()));
    try (var jars = Files.list(extracted)) {
      Path appJar = jars.filter(p -> p.toString().endsWith(".jar")).findFirst().orElseThrow();
      Files.move(appJar, appJar());
    }
    run(
        List.of(
            "sh",
            Path.of("deploy", "train-cds.sh").toAbsolutePath().toString(),
            appJar().toString(),
            archive().toString()));
  }

  private void run(List<String> command) throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("JAVA", java());
    Process step = builder.start();
    String output = new String(step.getInputStream().readAllBytes());
    if (step.waitFor() != 0) {
      throw new IllegalStateException(
          "Preparing " + name + "-service failed: " + String.join(" ", command) + "\n" + output);
    }
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var paths = Files.walk(dir)) {
      for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }

  URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  long pid() {
    return process.pid();
  }

  Duration startUp() {
    return startUp;
  }

  void start() {
    List<String> command = new ArrayList<>();
    command.add(java());
    command.add("-XX:SharedArchiveFile=" + archive());
    jvmOptions.forEach(option -> command.add(option.replace("{service}", name)));
    command.add("-jar");
    command.add(appJar().toString());
    command.add("--server.port=" + port);
    command.addAll(arguments);
    try {
      Files.createDirectories(log.getParent());
      startedNanos = System.nanoTime();
      process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
    } catch (IOException e) {
      throw new IllegalStateException("Cannot start " + name + "-service: " + e, e);
    }
  }

  /**
   * Waits until the readiness group (brokers and database included) is UP, polling every 50 ms, and
   * keeps the time from process start to then as the start-up time.
   */
  void awaitReady(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(name + "-service exited during start-up; see " + log);
      }
      try {
        HttpResponse<String> response =
            HTTP.send(
                HttpRequest.newBuilder(uri("/actuator/health/readiness"))
                    .timeout(Duration.ofSeconds(2))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 200 && response.body().contains("\"UP\"")) {
          startUp = Duration.ofNanos(System.nanoTime() - startedNanos);
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(50);
    }
    throw new IllegalStateException(name + "-service not ready within " + timeout + "; see " + log);
  }

  /** Resident memory of the process in bytes, from {@code /proc/<pid>/status}. */
  long residentBytes() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid()), "status"))) {
      if (line.startsWith("VmRSS:")) {
        String[] parts = line.substring(6).trim().split("\\s+");
        return Long.parseLong(parts[0]) * 1024;
      }
    }
    return -1;
  }

  /**
   * Used heap in bytes, from the service's Prometheus endpoint (all heap pools summed); -1 when the
   * service does not answer within three tries of 20 s (as after an overload it may not).
   */
  long heapUsedBytes() throws InterruptedException {
    for (int attempt = 0; attempt < 3; attempt++) {
      try {
        return heapUsedBytesOnce();
      } catch (IOException e) {
        // busy: try again
      }
    }
    return -1;
  }

  private long heapUsedBytesOnce() throws IOException, InterruptedException {
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(uri("/actuator/prometheus"))
                .timeout(Duration.ofSeconds(20))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    return (long)
        response
            .body()
            .lines()
            .filter(line -> line.startsWith("jvm_memory_used_bytes{"))
            .filter(line -> line.contains("area=\"heap\""))
            .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
            .sum();
  }

  /** SIGTERM, then waits for the process to exit. */
  void stop() {
    if (process == null) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    process = null;
  }
}
