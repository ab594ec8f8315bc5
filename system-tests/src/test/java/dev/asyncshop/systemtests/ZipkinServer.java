package dev.asyncshop.systemtests;

import dev.asyncshop.testsupport.ServiceProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;

/**
 * The Zipkin server the services export their spans to, run from its Maven Central jar (copied to
 * {@code target/zipkin} by the build) on a free port, with in-memory storage: the same server
 * {@code ./asyncshop up} runs.
 */
final class ZipkinServer {

  private static final Path JAR_DIRECTORY = Path.of("target", "zipkin");
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final int port = ServiceProcess.freePort();
  private final Path log;
  private Process process;

  ZipkinServer(Path workDirectory) {
    this.log = workDirectory.resolve("zipkin.log");
  }

  /** Where the services send their spans (Zipkin's JSON v2 API). */
  String spanEndpoint() {
    return uri("/api/v2/spans").toString();
  }

  URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  synchronized void start() {
    try (var jars = Files.list(JAR_DIRECTORY)) {
      Path jar =
          jars.filter(p -> p.getFileName().toString().startsWith("zipkin-server-"))
              .findFirst()
              .orElseThrow(() -> new IllegalStateException("No Zipkin jar in " + JAR_DIRECTORY));
      Files.createDirectories(log.getParent());
      List<String> command =
          List.of(
              Path.of(System.getProperty("java.home"), "bin", "java").toString(),
              "-Xmx256m",
              "-jar",
              jar.toString(),
              "--armeria.ports[0].port=" + port,
              "--armeria.ports[0].ip=127.0.0.1");
      process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()))
              .start();
    } catch (IOException e) {
      throw new IllegalStateException(
          "Cannot start Zipkin from "
              + JAR_DIRECTORY
              + " (mvn pre-integration-test copies it): "
              + e,
          e);
    }
  }

  void awaitReady(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("Zipkin exited during start-up; see " + log);
      }
      try {
        HttpResponse<String> response =
            HTTP.send(
                HttpRequest.newBuilder(uri("/health")).timeout(Duration.ofSeconds(2)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Interrupted while Zipkin started", e);
      }
      sleep(200);
    }
    throw new IllegalStateException("Zipkin not ready within " + timeout + "; see " + log);
  }

  /** The spans of a trace, or an empty array while Zipkin has none of it. */
  JsonNode trace(String traceId) {
    try {
      HttpResponse<String> response =
          HTTP.send(
              HttpRequest.newBuilder(uri("/api/v2/trace/" + traceId)).GET().build(),
              HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200
          ? Shop.JSON.readTree(response.body())
          : Shop.JSON.createArrayNode();
    } catch (IOException e) {
      throw new AssertionError("Zipkin did not answer: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("Interrupted", e);
    }
  }

  synchronized void stop() {
    if (process == null) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
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
      throw new IllegalStateException("Interrupted", e);
    }
  }
}
