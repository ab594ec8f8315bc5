package dev.asyncshop.systemtests;

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
 * One service as its own JVM, started from the runnable jar the build produced, with its output in
 * {@code target/system-tests/<name>.log}.
 */
final class ServiceProcess {

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  final String name;
  final int port;
  private final Path jar;
  private final List<String> arguments;
  private final Path log;
  private Process process;

  ServiceProcess(String name, int port, List<String> arguments) {
    this.name = name;
    this.port = port;
    this.arguments = List.copyOf(arguments);
    Path moduleTarget = Path.of("..", name + "-service", "target").toAbsolutePath().normalize();
    try (var jars = Files.list(moduleTarget)) {
      this.jar =
          jars.filter(p -> p.getFileName().toString().endsWith("-exec.jar"))
              .findFirst()
              .orElseThrow(
                  () ->
                      new AssertionError(
                          "No runnable jar of "
                              + name
                              + "-service in "
                              + moduleTarget
                              + "; build it first: ./mvnw -B verify from the repository root"));
    } catch (IOException e) {
      throw new AssertionError("Cannot read " + moduleTarget + ": " + e, e);
    }
    this.log = Path.of("target", "system-tests", name + ".log").toAbsolutePath();
  }

  URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  synchronized void start() {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx256m");
    command.add("-XX:TieredStopAtLevel=1");
    command.add("-jar");
    command.add(jar.toString());
    command.add("--server.port=" + port);
    command.addAll(arguments);
    try {
      Files.createDirectories(log.getParent());
      process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .start();
    } catch (IOException e) {
      throw new AssertionError("Cannot start " + name + "-service: " + e, e);
    }
  }

  /** Waits until the readiness group (which includes the brokers and the database) is UP. */
  void awaitReady(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new AssertionError(name + "-service exited during start-up; see " + log);
      }
      try {
        HttpResponse<String> response =
            HTTP.send(
                HttpRequest.newBuilder(uri("/actuator/health/readiness"))
                    .timeout(Duration.ofSeconds(2))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 200 && response.body().contains("\"UP\"")) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("Interrupted", e);
      }
      sleep(250);
    }
    throw new AssertionError(name + "-service not ready within " + timeout + "; see " + log);
  }

  /** Stops the process the way an orchestrator does: SIGTERM, then waits for it to exit. */
  synchronized void stop() {
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

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
