package dev.asyncshop.benchmarks;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * RabbitMQ, Redis and PostgreSQL on 127.0.0.1, and Kafka: one embedded broker (the real broker
 * code, in this JVM) for the whole run, or the broker named with {@code --kafka=HOST:PORT} (such as
 * the one {@code ./asyncshop up} leaves on 127.0.0.1:9092). Not whatever answers on 9092 by
 * default: on a shared machine that may be another run's broker, which can stop in the middle of
 * this one.
 */
final class Brokers {

  static final String HOST = "127.0.0.1";

  private static EmbeddedKafkaKraftBroker embedded;

  private Brokers() {}

  static void requireAll() {
    require("RabbitMQ", 5672, "rabbitmq-server -detached");
    require("Redis", 6379, "redis-server --daemonize yes --bind 127.0.0.1 --port 6379");
    require(
        "PostgreSQL",
        5432,
        "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start");
  }

  /** Bootstrap servers of the Kafka broker of this run: the given one, else an embedded one. */
  static synchronized String kafka(String given) {
    if (given != null) {
      return given;
    }
    if (embedded == null) {
      EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, 3);
      broker.brokerProperty("auto.create.topics.enable", "true");
      broker.brokerProperty("group.initial.rebalance.delay.ms", "0");
      broker.afterPropertiesSet();
      Runtime.getRuntime().addShutdownHook(new Thread(broker::destroy, "embedded-kafka-stop"));
      embedded = broker;
    }
    return embedded.getBrokersAsString().replace("localhost", HOST);
  }

  static synchronized boolean kafkaEmbedded() {
    return embedded != null;
  }

  private static boolean answers(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(HOST, port), 1_000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static void require(String broker, int port, String startCommand) {
    if (!answers(port)) {
      throw new IllegalStateException(
          "%s is not answering on %s:%d. Start it with: %s"
              .formatted(broker, HOST, port, startCommand));
    }
  }
}
