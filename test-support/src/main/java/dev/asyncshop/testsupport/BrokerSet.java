package dev.asyncshop.testsupport;

/** RabbitMQ, Redis, PostgreSQL and Kafka of one test JVM, ready to use. */
interface BrokerSet {

  Endpoint rabbitMq();

  Endpoint redis();

  /** A superuser that may create databases. */
  Endpoint postgres();

  /** Bootstrap servers. */
  String kafka();
}
