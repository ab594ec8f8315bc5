package dev.asyncshop.testsupport;

import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * What every service's integration test sets: the brokers of {@link Brokers}, a database of its
 * own, and a destination prefix of its own, so that test runs never see each other's rows or
 * messages; and the run's encryption keys ({@link TestEncryption}).
 */
public final class ServiceTestProperties {

  private ServiceTestProperties() {}

  /**
   * In local mode the brokers' addresses become properties; in container mode they come as service
   * connections ({@link ContainerBrokersConfiguration}), so no broker property is set that the
   * connection details would only hide. The database is a property in both modes.
   *
   * @param database prefix of the fresh database's name, e.g. {@code orders}
   * @param destinationPrefix put before every queue, topic and channel of the service
   */
  public static void register(
      DynamicPropertyRegistry registry, String database, String destinationPrefix) {
    if (Brokers.mode() == BrokerMode.LOCAL) {
      Brokers.springProperties().forEach((name, value) -> registry.add(name, () -> value));
    }
    TestDatabases.springProperties(TestDatabases.create(database))
        .forEach((name, value) -> registry.add(name, () -> value));
    registry.add("messaging.destination-prefix", () -> destinationPrefix);
    TestEncryption.springProperties().forEach((name, value) -> registry.add(name, () -> value));
  }
}
