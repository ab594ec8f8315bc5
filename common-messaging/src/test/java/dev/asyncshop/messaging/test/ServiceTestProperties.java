package dev.asyncshop.messaging.test;

import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * What every service's integration test sets: the brokers (failing with the command that starts one
 * that does not answer), a database of its own, and a destination prefix of its own, so that test
 * runs never see each other's rows or messages.
 */
public final class ServiceTestProperties {

  private ServiceTestProperties() {}

  /**
   * @param database prefix of the fresh database's name, e.g. {@code orders}
   * @param destinationPrefix put before every queue, topic and channel of the service
   */
  public static void register(
      DynamicPropertyRegistry registry, String database, String destinationPrefix) {
    Brokers.requireRabbitMq();
    Brokers.requireRedis();
    String url = TestDatabases.create(database);
    registry.add("spring.kafka.bootstrap-servers", Brokers::kafka);
    registry.add("spring.datasource.url", () -> url);
    registry.add("messaging.destination-prefix", () -> destinationPrefix);
  }
}
