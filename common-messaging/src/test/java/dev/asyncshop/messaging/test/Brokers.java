package dev.asyncshop.messaging.test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * The brokers the tests run against: RabbitMQ, Redis and PostgreSQL on 127.0.0.1, and one embedded
 * Kafka broker (the real broker, in this JVM) shared by every test. A broker that does not answer
 * fails the test with the command that starts it; no test skips.
 */
public final class Brokers {

  public static final String HOST = "127.0.0.1";

  private static EmbeddedKafkaKraftBroker kafka;

  private Brokers() {}

  /** Starts the shared embedded Kafka broker on first use and returns its bootstrap servers. */
  public static synchronized String kafka() {
    if (kafka == null) {
      EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, 3);
      broker.brokerProperty("auto.create.topics.enable", "true");
      broker.brokerProperty("group.initial.rebalance.delay.ms", "0");
      broker.afterPropertiesSet();
      Runtime.getRuntime().addShutdownHook(new Thread(broker::destroy, "embedded-kafka-stop"));
      kafka = broker;
    }
    return kafka.getBrokersAsString();
  }

  public static void requireRabbitMq() {
    require("RabbitMQ", 5672, "rabbitmq-server -detached");
  }

  public static void requireRedis() {
    require(
        "Redis",
        6379,
        "redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save \"\""
            + " --appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log");
  }

  public static void requirePostgres() {
    require(
        "PostgreSQL",
        5432,
        "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start");
  }

  private static void require(String broker, int port, String startCommand) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(HOST, port), 2_000);
    } catch (IOException e) {
      throw new AssertionError(
          "%s is not answering on %s:%d (%s). Start it with: %s"
              .formatted(broker, HOST, port, e.getMessage(), startCommand));
    }
  }
}
