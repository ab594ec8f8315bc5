package dev.asyncshop.benchmarks;

/**
 * RabbitMQ, Redis and PostgreSQL on 127.0.0.1, and Kafka: the tests' embedded broker (the real
 * broker code, in this JVM) for the whole run, or the broker named with {@code --kafka=HOST:PORT}
 * (such as the one {@code ./asyncshop up} leaves on 127.0.0.1:9092). Not whatever answers on 9092
 * by default: on a shared machine that may be another run's broker, which can stop in the middle of
 * this one. Never the tests' containers, even where a Docker engine answers: the figures are this
 * machine's brokers', without Docker's network path in between.
 */
final class Brokers {

  static final String HOST = "127.0.0.1";

  private static boolean embedded;

  private Brokers() {}

  /** Checks the local brokers, failing with the command that starts one that does not answer. */
  static void requireAll() {
    dev.asyncshop.testsupport.Brokers.useLocal();
    dev.asyncshop.testsupport.Brokers.rabbitMq();
    dev.asyncshop.testsupport.Brokers.redis();
    dev.asyncshop.testsupport.Brokers.postgres();
  }

  /** Bootstrap servers of the Kafka broker of this run: the given one, else an embedded one. */
  static synchronized String kafka(String given) {
    if (given != null) {
      return given;
    }
    embedded = true;
    return dev.asyncshop.testsupport.Brokers.kafka().replace("localhost", HOST);
  }

  static synchronized boolean kafkaEmbedded() {
    return embedded;
  }
}
