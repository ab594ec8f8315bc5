package dev.asyncshop.console;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The authorization server as its own process, from the runnable jar its module built (the reactor
 * builds it first: this module depends on it in the test scope), on a free port of 127.0.0.1 that
 * is also its issuer.
 */
final class AuthorizationServerProcess {

  private final Process process;
  private final int port;

  private AuthorizationServerProcess(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  static AuthorizationServerProcess start(Path log, List<String> arguments) {
    int port = freePort();
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx256m");
    command.add("-jar");
    command.add(jar().toString());
    command.add("--server.port=" + port);
    command.add("--spring.security.oauth2.authorizationserver.issuer=http://127.0.0.1:" + port);
    command.addAll(arguments);
    try {
      Files.createDirectories(log.getParent());
      Process process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      AuthorizationServerProcess server = new AuthorizationServerProcess(process, port);
      server.awaitReady(Duration.ofSeconds(90), log);
      return server;
    } catch (IOException e) {
      throw new IllegalStateException("Cannot start the authorization server: " + e, e);
    }
  }

  int port() {
    return port;
  }

  URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  void stop() {
    process.destroy();
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }

  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException("No free port: " + e, e);
    }
  }

  private void awaitReady(Duration timeout, Path log) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "The authorization server exited with " + process.exitValue() + "; see " + log);
      }
      try {
        HttpResponse<Void> ready =
            http.send(
                HttpRequest.newBuilder(uri("/actuator/health/readiness"))
                    .timeout(Duration.ofSeconds(2))
                    .build(),
                HttpResponse.BodyHandlers.discarding());
        if (ready.statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Interrupted while waiting for the authorization server");
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Interrupted while waiting for the authorization server");
      }
    }
    stop();
    throw new IllegalStateException(
        "The authorization server was not ready within " + timeout + "; see " + log);
  }

  /** {@code authorization-server/target/authorization-server-<version>-exec.jar}. */
  private static Path jar() {
    Path target = Path.of("..", "authorization-server", "target").toAbsolutePath().normalize();
    try (var files = Files.list(target)) {
      return files
          .filter(file -> file.getFileName().toString().endsWith("-exec.jar"))
          .findFirst()
          .orElseThrow(
              () ->
                  new IllegalStateException(
                      "No runnable jar in "
                          + target
                          + ": build it first (./mvnw package -pl authorization-server)"));
    } catch (IOException e) {
      throw new IllegalStateException("Cannot list " + target + ": " + e, e);
    }
  }
}
