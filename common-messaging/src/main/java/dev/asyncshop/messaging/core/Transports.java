package dev.asyncshop.messaging.core;

import java.util.List;

/** The transports a route may name. */
public final class Transports {

  public static final String KAFKA = "kafka";
  public static final String RABBITMQ = "rabbitmq";
  public static final String REDIS = "redis";

  public static final List<String> ALL = List.of(KAFKA, RABBITMQ, REDIS);

  private Transports() {}
}
