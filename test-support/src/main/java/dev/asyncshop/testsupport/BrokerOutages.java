package dev.asyncshop.testsupport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.testcontainers.containers.GenericContainer;

/**
 * Takes RabbitMQ, Redis or PostgreSQL away and brings it back, for the chaos tests. On this
 * machine's brokers it uses their own tools: RabbitMQ's application is stopped and started ({@code
 * rabbitmqctl stop_app}), Redis is shut down and started again with the command CI uses (losing its
 * in-memory state, the runtime ACL users included, which the caller applies again), PostgreSQL's
 * cluster is stopped and started. In containers, the container is paused and unpaused, which keeps
 * its mapped port.
 */
public final class BrokerOutages {

  private static final Duration BACK_WITHIN = Duration.ofSeconds(120);

  private BrokerOutages() {}

  /** One broker's outage: {@link #begin()} takes it away, {@link #end()} brings it back. */
  public interface Outage {

    void begin();

    /** Brings the broker back and returns once it answers again. */
    void end();
  }

  public static Outage rabbitMq() {
    if (Brokers.mode() == BrokerMode.CONTAINERS) {
      return paused(Brokers.containers().rabbitMq);
    }
    return local(
        "RabbitMQ",
        5672,
        List.of("rabbitmqctl", "-q", "stop_app"),
        List.of("rabbitmqctl", "-q", "start_app"));
  }

  public static Outage redis() {
    if (Brokers.mode() == BrokerMode.CONTAINERS) {
      return paused(Brokers.containers().redis);
    }
    return local(
        "Redis",
        6379,
        List.of("redis-cli", "-h", LocalBrokers.HOST, "-p", "6379", "shutdown", "nosave"),
        List.of(
            "redis-server",
            "--daemonize",
            "yes",
            "--bind",
            "127.0.0.1",
            "-::1",
            "--port",
            "6379",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            "/var/lib/redis",
            "--logfile",
            "/var/log/redis/ci.log"));
  }

  public static Outage postgres() {
    if (Brokers.mode() == BrokerMode.CONTAINERS) {
      return paused(Brokers.containers().postgres);
    }
    String version = postgresVersion();
    return local(
        "PostgreSQL",
        5432,
        List.of(
            "pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "stop", "-m", "fast"),
        List.of("pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "start"));
  }

  /** The one cluster version under /etc/postgresql, as CI's start command finds it. */
  private static String postgresVersion() {
    try (Stream<Path> versions = Files.list(Path.of("/etc/postgresql"))) {
      return versions
          .map(path -> path.getFileName().toString())
          .findFirst()
          .orElseThrow(() -> new IllegalStateException("No PostgreSQL cluster in /etc/postgresql"));
    } catch (IOException e) {
      throw new IllegalStateException("Cannot list /etc/postgresql: " + e, e);
    }
  }

  private static Outage local(String broker, int port, List<String> stop, List<String> start) {
    return new Outage() {
      @Override
      public void begin() {
        run(broker, stop);
      }

      @Override
      public void end() {
        run(broker, start);
        awaitPort(broker, port);
      }
    };
  }

  private static Outage paused(GenericContainer<?> container) {
    return new Outage() {
      @Override
      public void begin() {
        container.getDockerClient().pauseContainerCmd(container.getContainerId()).exec();
      }

      @Override
      public void end() {
        container.getDockerClient().unpauseContainerCmd(container.getContainerId()).exec();
      }
    };
  }

  private static void run(String broker, List<String> command) {
    try {
      // Output to a file, not a pipe: a daemon the command starts may keep a pipe open for ever.
      Path output = Files.createTempFile("broker-outage", ".log");
      try {
        Process process =
            new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();
        if (!process.waitFor(BACK_WITHIN.toSeconds(), TimeUnit.SECONDS)) {
          process.destroyForcibly();
          throw new IllegalStateException(broker + ": " + String.join(" ", command) + " hung");
        }
        if (process.exitValue() != 0) {
          throw new IllegalStateException(
              "%s: %s exited with %d%n%s"
                  .formatted(
                      broker,
                      String.join(" ", command),
                      process.exitValue(),
                      Files.readString(output)));
        }
      } finally {
        Files.deleteIfExists(output);
      }
    } catch (IOException e) {
      throw new IllegalStateException(broker + ": cannot run " + command + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while running " + command, e);
    }
  }

  private static void awaitPort(String broker, int port) {
    long deadline = System.nanoTime() + BACK_WITHIN.toNanos();
    while (System.nanoTime() < deadline) {
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress(LocalBrokers.HOST, port), 500);
        return;
      } catch (IOException e) {
        sleep();
      }
    }
    throw new IllegalStateException(
        "%s did not answer on %s:%d within %s"
            .formatted(broker, LocalBrokers.HOST, port, BACK_WITHIN));
  }

  private static void sleep() {
    try {
      Thread.sleep(200);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while waiting for a broker", e);
    }
  }
}
