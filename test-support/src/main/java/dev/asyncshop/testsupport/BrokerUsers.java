package dev.asyncshop.testsupport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.utility.MountableFile;

/**
 * The services' RabbitMQ and Redis users of {@code deploy/broker-users/permissions.conf}, and the
 * Redis users of its read-only observers (the ops console), made for one run by the script the
 * local run uses ({@code deploy/broker-users/apply}): each user's name starts with a prefix of this
 * run and has a password of its own, so a run never changes the users of a {@code ./asyncshop up}
 * on the same brokers. {@link #close()} deletes them.
 */
public final class BrokerUsers implements AutoCloseable {

  /** The services that have broker users, as named in the permissions file. */
  public static final List<String> SERVICES =
      List.of("order-service", "inventory-service", "payment-service", "shipping-service");

  /**
   * The read-only observers of the permissions file: users on Redis only (no RabbitMQ rule, so no
   * RabbitMQ user).
   */
  public static final List<String> OBSERVERS = List.of("ops-console");

  private static final String SCRIPT_DIRECTORY = "/tmp/asyncshop-broker-users";

  private final String userPrefix = TestNames.unique("bu") + "-";
  private final String destinationPrefix;
  private final Map<String, String> passwords = new LinkedHashMap<>();

  /**
   * @param destinationPrefix the services' {@code messaging.destination-prefix}
   */
  public BrokerUsers(String destinationPrefix) {
    this.destinationPrefix = destinationPrefix;
    for (String service : SERVICES) {
      passwords.put(variable("rabbitmq", service), TestNames.unique("rabbit"));
      passwords.put(variable("redis", service), TestNames.unique("redis"));
    }
    for (String observer : OBSERVERS) {
      passwords.put(variable("redis", observer), TestNames.unique("redis"));
    }
    apply("rabbitmq");
    apply("redis");
  }

  /** The user name of a service (or observer) on its brokers in this run. */
  public String user(String service) {
    return userPrefix + service;
  }

  public String rabbitMqPassword(String service) {
    return passwords.get(variable("rabbitmq", service));
  }

  public String redisPassword(String service) {
    return passwords.get(variable("redis", service));
  }

  /**
   * The Spring Boot properties that log a service in as its own user on RabbitMQ and Redis, or an
   * observer on Redis.
   */
  public Map<String, String> springProperties(String service) {
    if (!SERVICES.contains(service) && !OBSERVERS.contains(service)) {
      throw new IllegalArgumentException(
          service + " has no broker users: neither a service nor an observer of permissions.conf");
    }
    Map<String, String> properties = new LinkedHashMap<>();
    if (SERVICES.contains(service)) {
      properties.put("spring.rabbitmq.username", user(service));
      properties.put("spring.rabbitmq.password", rabbitMqPassword(service));
    }
    properties.put("spring.data.redis.username", user(service));
    properties.put("spring.data.redis.password", redisPassword(service));
    return properties;
  }

  private static String variable(String broker, String service) {
    return (broker + "_" + service + "_PASSWORD").toUpperCase(Locale.ROOT).replace('-', '_');
  }

  /**
   * Makes the users again on a broker that lost them: a Redis started afresh keeps no runtime ACL
   * users, as a production Redis without an ACL file would not.
   *
   * @param broker {@code rabbitmq} or {@code redis}
   */
  public void applyAgain(String broker) {
    apply(broker);
  }

  private void apply(String broker) {
    Map<String, String> environment = new LinkedHashMap<>(passwords);
    environment.put("USER_PREFIX", userPrefix);
    environment.put("DESTINATION_PREFIX", destinationPrefix);
    if (Brokers.mode() == BrokerMode.CONTAINERS) {
      inContainer(container(broker), environment, "sh", SCRIPT_DIRECTORY + "/apply", broker);
    } else {
      onThisMachine(environment, "sh", script().toString(), broker);
    }
  }

  @Override
  public void close() {
    for (String service : SERVICES) {
      run("rabbitmq", "rabbitmqctl", "-q", "delete_user", user(service));
      run("redis", "redis-cli", "ACL", "DELUSER", user(service));
    }
    for (String observer : OBSERVERS) {
      run("redis", "redis-cli", "ACL", "DELUSER", user(observer));
    }
  }

  private void run(String broker, String... command) {
    if (Brokers.mode() == BrokerMode.CONTAINERS) {
      inContainer(container(broker), Map.of(), command);
    } else {
      onThisMachine(Map.of(), command);
    }
  }

  private static Path script() {
    return RepositoryRoot.path().resolve("deploy/broker-users/apply");
  }

  private static GenericContainer<?> container(String broker) {
    ContainerBrokers containers = Brokers.containers();
    GenericContainer<?> container =
        broker.equals("rabbitmq") ? containers.rabbitMq : containers.redis;
    Path directory = script().getParent();
    for (String file : List.of("apply", "permissions.conf")) {
      container.copyFileToContainer(
          MountableFile.forHostPath(directory.resolve(file)), SCRIPT_DIRECTORY + "/" + file);
    }
    return container;
  }

  private static void inContainer(
      GenericContainer<?> container, Map<String, String> environment, String... command) {
    List<String> line = new ArrayList<>(List.of("env"));
    environment.forEach((name, value) -> line.add(name + "=" + value));
    line.addAll(List.of(command));
    try {
      ExecResult result = container.execInContainer(line.toArray(String[]::new));
      if (result.getExitCode() != 0) {
        throw new IllegalStateException(
            "%s failed in the broker's container: %s%s"
                .formatted(command[0], result.getStdout(), result.getStderr()));
      }
    } catch (IOException e) {
      throw new IllegalStateException(command[0] + " failed in the broker's container: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Passwords in the environment, never as arguments, as the script expects them. */
  private static void onThisMachine(Map<String, String> environment, String... command) {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().putAll(environment);
    try {
      Process process = builder.start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IllegalStateException(
            "%s failed (the local RabbitMQ and Redis must run, and rabbitmqctl and redis-cli be on"
                    .formatted(String.join(" ", command))
                + " the PATH: rabbitmq-server -detached; redis-server --daemonize yes): "
                + output);
      }
    } catch (IOException e) {
      throw new IllegalStateException(
          "Cannot run %s: %s (rabbitmqctl and redis-cli must be on the PATH)"
              .formatted(command[0], e),
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The permissions file's text, for a test that reads its rules. */
  public static String permissions() {
    try {
      return Files.readString(script().resolveSibling("permissions.conf"));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
