package dev.asyncshop.testsupport;

import java.util.Locale;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;

/**
 * Where the tests' brokers come from: containers when a Docker engine answers, the brokers on
 * 127.0.0.1 otherwise; {@code -Dasyncshop.brokers=containers|local} (or {@code ASYNCSHOP_BROKERS})
 * decides instead.
 */
public enum BrokerMode {

  /** RabbitMQ, Redis and PostgreSQL on 127.0.0.1; Kafka embedded in the test JVM. */
  LOCAL,

  /** One Testcontainers container of each broker per test JVM. */
  CONTAINERS;

  /** The system property that chooses; {@code auto} or unset lets the Docker engine decide. */
  public static final String PROPERTY = "asyncshop.brokers";

  /** The environment variable read when the system property is not set. */
  public static final String ENVIRONMENT = "ASYNCSHOP_BROKERS";

  /**
   * The mode of this JVM: its system property, else (as the build passes {@code auto} on when
   * nothing was chosen) the environment variable, else the Docker engine.
   */
  static BrokerMode ofThisJvm() {
    String setting = System.getProperty(PROPERTY);
    if (setting == null || setting.isBlank() || setting.trim().equalsIgnoreCase("auto")) {
      setting = System.getenv(ENVIRONMENT);
    }
    return choose(setting, DockerEngine::answers);
  }

  /**
   * @param setting {@code local}, {@code containers}, {@code auto} or {@code null}
   * @param engineAnswers asked only when the setting leaves the choice to the engine
   */
  static BrokerMode choose(@Nullable String setting, BooleanSupplier engineAnswers) {
    String value = setting == null ? "" : setting.trim().toLowerCase(Locale.ROOT);
    return switch (value) {
      case "local" -> LOCAL;
      case "containers" -> CONTAINERS;
      case "", "auto" -> engineAnswers.getAsBoolean() ? CONTAINERS : LOCAL;
      default ->
          throw new IllegalArgumentException(
              "%s=%s is not a broker mode; use containers, local or auto (the default: containers when a Docker engine answers)"
                  .formatted(PROPERTY, setting));
    };
  }
}
