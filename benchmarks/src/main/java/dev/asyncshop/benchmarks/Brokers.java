package dev.asyncshop.benchmarks;

import dev.asyncshop.testsupport.KafkaProcess;
import java.nio.file.Path;
import org.springframework.util.FileSystemUtils;

/**
 * RabbitMQ, Redis and PostgreSQL on 127.0.0.1, and Kafka: a broker process of this run (the real
 * broker, single-node KRaft, as {@code ./asyncshop up} runs it), or the broker named with {@code
 * --kafka=HOST:PORT} (such as the one {@code ./asyncshop up} leaves on 127.0.0.1:9092). Its own
 * process, so that its CPU time is counted apart from the load generator's. Not whatever answers on
 * 9092 by default: on a shared machine that may be another run's broker, which can stop in the
 * middle of this one. Never the tests' containers, even where a Docker engine answers: the figures
 * are this machine's brokers', without Docker's network path in between.
 */
final class Brokers {

  static final String HOST = "127.0.0.1";

  private static KafkaProcess kafka;

  private Brokers() {}

  /** Checks the local brokers, failing with the command that starts one that does not answer. */
  static void requireAll() {
    dev.asyncshop.testsupport.Brokers.useLocal();
    dev.asyncshop.testsupport.Brokers.rabbitMq();
    dev.asyncshop.testsupport.Brokers.redis();
    dev.asyncshop.testsupport.Brokers.postgres();
  }

  /** Bootstrap servers of the Kafka broker of this run: the given one, else a process started. */
  static synchronized String kafka(String given) {
    if (given != null) {
      return given;
    }
    // A fresh log each run; the process stops with this JVM (KafkaProcess's own shutdown hook).
    Path work = Path.of("benchmarks", "target", "kafka");
    FileSystemUtils.deleteRecursively(work.toFile());
    kafka = new KafkaProcess(work);
    kafka.start();
    return kafka.bootstrapServers();
  }

  /** The broker process this run started; -1 when it was given one. */
  static synchronized long kafkaPid() {
    return kafka == null ? -1 : kafka.pid();
  }
}
