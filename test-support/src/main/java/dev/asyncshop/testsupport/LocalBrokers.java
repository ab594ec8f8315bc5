package dev.asyncshop.testsupport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import org.jspecify.annotations.Nullable;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * RabbitMQ, Redis and PostgreSQL on 127.0.0.1, and one embedded Kafka broker (the real broker, in
 * this JVM). A broker that does not answer fails the test with the command that starts it.
 */
final class LocalBrokers implements BrokerSet {

  static final String HOST = "127.0.0.1";

  private @Nullable EmbeddedKafkaKraftBroker kafka;

  @Override
  public Endpoint rabbitMq() {
    require("RabbitMQ", 5672, "rabbitmq-server -detached");
    return new Endpoint(HOST, 5672, "guest", "guest");
  }

  @Override
  public Endpoint redis() {
    require(
        "Redis",
        6379,
        "redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save \"\""
            + " --appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log");
    return new Endpoint(HOST, 6379, "", "");
  }

  /** User postgres with trust authentication, as the local cluster is set up. */
  @Override
  public Endpoint postgres() {
    require(
        "PostgreSQL",
        5432,
        "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start");
    return new Endpoint(HOST, 5432, "postgres", "");
  }

  /** Starts the shared embedded Kafka broker on first use. */
  @Override
  public synchronized String kafka() {
    if (kafka == null) {
      EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, 3);
      // Otherwise the broker's address becomes the system property spring.kafka.bootstrap-servers,
      // which outranks what a test gives its application (a test of an unreachable Kafka among
      // them).
      broker.brokerListProperty("asyncshop.test.embedded-kafka");
      broker.brokerProperty("auto.create.topics.enable", "true");
      broker.brokerProperty("group.initial.rebalance.delay.ms", "0");
      broker.afterPropertiesSet();
      Runtime.getRuntime().addShutdownHook(new Thread(broker::destroy, "embedded-kafka-stop"));
      kafka = broker;
    }
    return kafka.getBrokersAsString();
  }

  private static void require(String broker, int port, String startCommand) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(HOST, port), 2_000);
    } catch (IOException e) {
      throw new AssertionError(
          "%s is not answering on %s:%d (%s). Start it with: %s (or run the tests in containers: -D%s=containers, with a Docker engine)"
              .formatted(broker, HOST, port, e.getMessage(), startCommand, BrokerMode.PROPERTY));
    }
  }
}
