package dev.asyncshop.benchmarks;

import dev.asyncshop.benchmarks.BenchMessages.BenchCommand;
import dev.asyncshop.benchmarks.BenchMessages.BenchEvent;
import dev.asyncshop.benchmarks.BenchMessages.BenchNotice;
import dev.asyncshop.messaging.MessageGateway;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.ScanOptions;
import org.springframework.data.redis.core.StringRedisTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Each transport, raw client against common-messaging, in the same JVM against the same brokers,
 * one side at a time. Full speed runs twice in the order raw, library, library, raw, so that a
 * drift of the shared machine's speed during the run weighs on both sides alike.
 */
final class TransportBenchmarks {

  /** One side's figures: the two full-speed rounds and the fixed-rate run. */
  record Side(List<Load.Result> fullSpeed, Load.Result fixedRate) {

    double throughput() {
      return fullSpeed.stream().mapToDouble(Load.Result::handledPerSecond).average().orElse(0);
    }

    double sentPerSecond() {
      return fullSpeed.stream().mapToDouble(Load.Result::sentPerSecond).average().orElse(0);
    }

    /** Percentiles at full speed, averaged over the rounds. */
    Recorder.Percentiles fullSpeedLatency() {
      return new Recorder.Percentiles(
          fullSpeed.stream().mapToInt(r -> r.latency().count()).sum(),
          fullSpeed.stream().mapToDouble(r -> r.latency().p50()).average().orElse(Double.NaN),
          fullSpeed.stream().mapToDouble(r -> r.latency().p95()).average().orElse(Double.NaN),
          fullSpeed.stream().mapToDouble(r -> r.latency().p99()).average().orElse(Double.NaN),
          fullSpeed.stream().mapToDouble(r -> r.latency().max()).max().orElse(Double.NaN));
    }

    long errors() {
      return fullSpeed.stream().mapToLong(Load.Result::errors).sum() + fixedRate.errors();
    }

    long lost() {
      return fullSpeed.stream().mapToLong(Load.Result::lost).sum() + fixedRate.lost();
    }
  }

  /** Raw and library on one transport. */
  record Comparison(
      String transport,
      String key,
      String raw,
      String library,
      int senders,
      int rate,
      Side rawSide,
      Side librarySide,
      List<Variant> variants) {

    double ratio() {
      return librarySide.throughput() / rawSide.throughput();
    }
  }

  /**
   * The library with some of its work switched off, one full-speed round: where the gap to the raw
   * client goes.
   */
  record Variant(String name, Load.Result result) {}

  /**
   * A variant of the library: its name, its settings, and the transports it is measured on.
   * Broadcasts have no idempotency to switch off; consumer concurrency is a RabbitMQ setting.
   */
  private record VariantSettings(String name, Map<String, Object> properties, Set<String> on) {}

  private static final List<VariantSettings> VARIANTS =
      List.of(
          new VariantSettings(
              "library without the audit log lines",
              Map.of("messaging.audit.log", "false"),
              Set.of("rabbitmq", "kafka", "redis")),
          new VariantSettings(
              "library without the audit topic",
              Map.of("messaging.audit.kafka", "false"),
              Set.of("rabbitmq", "kafka", "redis")),
          new VariantSettings(
              "library without audit",
              Map.of("messaging.audit.log", "false", "messaging.audit.kafka", "false"),
              Set.of("rabbitmq", "kafka", "redis")),
          new VariantSettings(
              "library without audit and idempotency",
              Map.of(
                  "messaging.audit.log",
                  "false",
                  "messaging.audit.kafka",
                  "false",
                  "messaging.idempotency.store",
                  "none"),
              Set.of("rabbitmq", "kafka")),
          new VariantSettings(
              "library with every message signed and checked",
              signing(),
              Set.of("rabbitmq", "kafka", "redis")),
          new VariantSettings(
              "library with every message encrypted",
              encryption(),
              Set.of("rabbitmq", "kafka", "redis")),
          new VariantSettings(
              "library with every message encrypted, signed and checked",
              encryptedAndSigned(),
              Set.of("rabbitmq", "kafka", "redis")),
          new VariantSettings(
              "library with tracing, every message sampled" + Tracing.EXPORT,
              Tracing.sampled("1.0"),
              Set.of("rabbitmq", "kafka", "redis")),
          new VariantSettings(
              "library with tracing, one message in ten sampled" + Tracing.EXPORT,
              Tracing.sampled("0.1"),
              Set.of("rabbitmq", "kafka", "redis")));

  /**
   * Signing with a key pair made for the run and checking with {@code enforce}, against the library
   * row: an Ed25519 signature per send and a verification per receipt. The sender and the receiver
   * are one process here, so it remembers none of its own signatures ({@code remember-own=false}):
   * otherwise the receiver would find each one remembered and compare a digest instead of checking
   * the curve, as a receiver in another service does.
   */
  private static Map<String, Object> signing() {
    try {
      KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
      Base64.Encoder base64 = Base64.getMimeEncoder();
      return Map.of(
          "messaging.signing.verify", "enforce",
          "messaging.signing.remember-own", "false",
          "messaging.signing.key.id", "bench1",
          "messaging.signing.key.private-key",
              "-----BEGIN PRIVATE KEY-----\n"
                  + base64.encodeToString(pair.getPrivate().getEncoded())
                  + "\n-----END PRIVATE KEY-----\n",
          "messaging.signing.keys.bench1.owner", "bench-library",
          "messaging.signing.keys.bench1.public-key",
              "-----BEGIN PUBLIC KEY-----\n"
                  + base64.encodeToString(pair.getPublic().getEncoded())
                  + "\n-----END PUBLIC KEY-----\n");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Every route encrypted under a master key made for the run: a fresh data key, AES-256-GCM and a
   * key wrap per send, an unwrap and a decryption per receipt, against the library row.
   */
  private static Map<String, Object> encryption() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    Map<String, Object> properties = new LinkedHashMap<>();
    properties.put("messaging.encryption.key.id", "bench1");
    properties.put("messaging.encryption.key.secret", Base64.getEncoder().encodeToString(key));
    for (int route = 0; route < 3; route++) {
      properties.put("messaging.routes[" + route + "].encrypt", "true");
    }
    return properties;
  }

  /** Both: encrypted, then signed over the ciphertext; checked, then decrypted. */
  private static Map<String, Object> encryptedAndSigned() {
    Map<String, Object> properties = new LinkedHashMap<>(encryption());
    properties.putAll(signing());
    return properties;
  }

  /**
   * Tracing as the services run it: spans exported to the Zipkin of {@code ./asyncshop up} when one
   * answers on 127.0.0.1:9411, else made and dropped (the cost of the spans without the export).
   */
  private static final class Tracing {

    static final boolean ZIPKIN = answers(9411);
    static final String EXPORT = ZIPKIN ? " (to Zipkin)" : " (spans not exported: no Zipkin)";

    static Map<String, Object> sampled(String probability) {
      return Map.of(
          "messaging.tracing.enabled",
          "true",
          "management.tracing.sampling.probability",
          probability,
          "management.tracing.export.zipkin.endpoint",
          "http://127.0.0.1:9411/api/v2/spans",
          "management.tracing.export.zipkin.enabled",
          String.valueOf(ZIPKIN));
    }

    private static boolean answers(int port) {
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress(Brokers.HOST, port), 500);
        return true;
      } catch (IOException e) {
        return false;
      }
    }
  }

  /** Settings of the transport runs. */
  record Settings(
      Duration warmUp,
      Duration measure,
      Duration fixedMeasure,
      int rate,
      Map<String, Integer> senders,
      String variants) {

    int sendersOf(String transport) {
      return senders.getOrDefault(transport, 8);
    }
  }

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private TransportBenchmarks() {}

  static List<Comparison> run(String kafka, Settings settings, Set<String> only, Versions versions)
      throws Exception {
    String prefix = "bench-" + UUID.randomUUID().toString().substring(0, 8) + ".";
    LibraryApp.Slots slots = new LibraryApp.Slots(new Slot(), new Slot(), new Slot());
    List<Comparison> comparisons = new ArrayList<>();
    System.out.println("Starting a service on common-messaging (destinations " + prefix + "*)");
    try (LibraryApp library = LibraryApp.start(kafka, prefix, slots, Map.of())) {
      System.out.println("  its meters go to " + library.meters().getClass().getSimpleName());
      MessageGateway gateway = library.gateway();
      if (only.contains("rabbitmq")) {
        Slot raw = new Slot();
        try (RawRabbit rabbit = new RawRabbit(prefix + "raw.commands", JSON, raw, 20, 1)) {
          versions.rabbitmq = rabbit.brokerVersion();
          comparisons.add(
              compare(
                  "RabbitMQ commands",
                  "rabbitmq",
                  "RabbitTemplate, persistent, mandatory, confirms awaited; listener with manual"
                      + " ack, prefetch 20, 1 consumer",
                  "MessageGateway.send + @HandleMessage (same guarantees, plus Redis idempotency,"
                      + " audit to log and Kafka, metrics)",
                  settings,
                  settings.sendersOf("rabbitmq"),
                  rabbit::send,
                  raw,
                  (phase, sent) -> gateway.send(new BenchCommand(phase, sent, BenchMessages.BODY)),
                  slots.rabbitmq()));
        }
      }
      if (only.contains("kafka")) {
        Slot raw = new Slot();
        try (RawKafka rawKafka = new RawKafka(kafka, prefix + "raw.events", 3, JSON, raw)) {
          comparisons.add(
              compare(
                  "Kafka events",
                  "kafka",
                  "KafkaTemplate acks=all, idempotent, send awaited; listener container (default"
                      + " batch commit), 3 partitions, 1 consumer",
                  "MessageGateway.publish + @HandleMessage (same, plus Redis idempotency, audit,"
                      + " metrics; offsets committed per poll)",
                  settings,
                  settings.sendersOf("kafka"),
                  rawKafka::send,
                  raw,
                  (phase, sent) -> gateway.publish(new BenchEvent(phase, sent, BenchMessages.BODY)),
                  slots.kafka()));
        }
      }
      if (only.contains("redis")) {
        Slot raw = new Slot();
        try (RawRedis redis = new RawRedis(prefix + "raw.notices", JSON, raw)) {
          versions.redis = redis.serverVersion();
          comparisons.add(
              compare(
                  "Redis broadcasts",
                  "redis",
                  "StringRedisTemplate.convertAndSend; RedisMessageListenerContainer, one"
                      + " dispatch thread",
                  "MessageGateway.broadcast + @HandleMessage (structured CloudEvent, audit,"
                      + " metrics)",
                  settings,
                  settings.sendersOf("redis"),
                  redis::send,
                  raw,
                  (phase, sent) ->
                      gateway.broadcast(new BenchNotice(phase, sent, BenchMessages.BODY)),
                  slots.redis()));
        }
      }
    } finally {
      cleanUp(prefix);
    }
    for (VariantSettings variant : VARIANTS) {
      if (variant.name().contains(settings.variants())
          && comparisons.stream().anyMatch(c -> variant.on().contains(c.key()))) {
        variant(kafka, settings, comparisons, variant);
      }
    }
    return comparisons;
  }

  /** One full-speed round per transport of a library with some of its work off. */
  private static void variant(
      String kafka, Settings settings, List<Comparison> comparisons, VariantSettings variant)
      throws Exception {
    String name = variant.name();
    String prefix = "bench-" + UUID.randomUUID().toString().substring(0, 8) + ".";
    LibraryApp.Slots slots = new LibraryApp.Slots(new Slot(), new Slot(), new Slot());
    System.out.println("The " + name);
    try (LibraryApp library = LibraryApp.start(kafka, prefix, slots, variant.properties())) {
      MessageGateway gateway = library.gateway();
      for (Comparison comparison : comparisons) {
        if (!variant.on().contains(comparison.key())) {
          continue;
        }
        Load.Sender sender =
            switch (comparison.key()) {
              case "rabbitmq" ->
                  (phase, sent) -> gateway.send(new BenchCommand(phase, sent, BenchMessages.BODY));
              case "kafka" ->
                  (phase, sent) -> gateway.publish(new BenchEvent(phase, sent, BenchMessages.BODY));
              default ->
                  (phase, sent) ->
                      gateway.broadcast(new BenchNotice(phase, sent, BenchMessages.BODY));
            };
        Slot slot =
            switch (comparison.key()) {
              case "rabbitmq" -> slots.rabbitmq();
              case "kafka" -> slots.kafka();
              default -> slots.redis();
            };
        Load.awaitFlowing(sender, slot, Duration.ofSeconds(60));
        Load.Result result =
            full(comparison.key() + " variant", sender, slot, comparison.senders(), settings);
        comparison.variants().add(new Variant(name, result));
      }
    } finally {
      cleanUp(prefix);
    }
  }

  private static Comparison compare(
      String transport,
      String key,
      String rawDescription,
      String libraryDescription,
      Settings settings,
      int senders,
      Load.Sender raw,
      Slot rawSlot,
      Load.Sender library,
      Slot librarySlot)
      throws Exception {
    System.out.printf(
        "%s: %d senders at full speed, then %d/s%n", transport, senders, settings.rate());
    Load.awaitFlowing(raw, rawSlot, Duration.ofSeconds(60));
    Load.awaitFlowing(library, librarySlot, Duration.ofSeconds(60));
    // Not measured: lets the JIT compile both paths before the first round.
    Load.fullSpeed(raw, rawSlot, senders, Duration.ZERO, settings.warmUp());
    Load.fullSpeed(library, librarySlot, senders, Duration.ZERO, settings.warmUp());
    List<Load.Result> rawFull = new ArrayList<>();
    List<Load.Result> libraryFull = new ArrayList<>();
    rawFull.add(full("raw", raw, rawSlot, senders, settings));
    libraryFull.add(full("library", library, librarySlot, senders, settings));
    libraryFull.add(full("library", library, librarySlot, senders, settings));
    rawFull.add(full("raw", raw, rawSlot, senders, settings));
    Load.Result libraryFixed = fixed("library", library, librarySlot, senders, settings);
    Load.Result rawFixed = fixed("raw", raw, rawSlot, senders, settings);
    Comparison comparison =
        new Comparison(
            transport,
            key,
            rawDescription,
            libraryDescription,
            senders,
            settings.rate(),
            new Side(rawFull, rawFixed),
            new Side(libraryFull, libraryFixed),
            new ArrayList<>());
    System.out.printf("  library/raw throughput: %.2f%n", comparison.ratio());
    return comparison;
  }

  private static Load.Result full(
      String side, Load.Sender sender, Slot slot, int senders, Settings settings)
      throws InterruptedException {
    Load.Result result =
        Load.fullSpeed(sender, slot, senders, settings.warmUp(), settings.measure());
    print(side + " full speed", result);
    return result;
  }

  private static Load.Result fixed(
      String side, Load.Sender sender, Slot slot, int senders, Settings settings)
      throws InterruptedException {
    Load.Result result =
        Load.fixedRate(sender, slot, senders, settings.rate(), settings.fixedMeasure());
    print(side + " at " + settings.rate() + "/s", result);
    return result;
  }

  private static void print(String what, Load.Result result) {
    System.out.printf(
        "  %-20s sent %8.0f/s  handled %8.0f/s  p50 %7.2f ms  p95 %7.2f ms  p99 %7.2f ms"
            + "  errors %d  lost %d%n",
        what,
        result.sentPerSecond(),
        result.handledPerSecond(),
        result.latency().p50(),
        result.latency().p95(),
        result.latency().p99(),
        result.errors(),
        result.lost());
  }

  /**
   * Deletes what the library declared for this run: its queue and dead-letter queue, and its
   * idempotency keys. Kafka topics go with the embedded broker (or are left to retention).
   */
  private static void cleanUp(String prefix) {
    CachingConnectionFactory connectionFactory = new CachingConnectionFactory(Brokers.HOST, 5672);
    try {
      RabbitAdmin admin = new RabbitAdmin(connectionFactory);
      admin.deleteQueue(prefix + "commands");
      admin.deleteQueue(prefix + "commands.dlq");
      admin.deleteQueue(prefix + "commands.security.dlq");
    } catch (RuntimeException e) {
      System.out.println("  could not delete the benchmark queues: " + e);
    } finally {
      connectionFactory.destroy();
    }
    LettuceConnectionFactory redis =
        new LettuceConnectionFactory(new RedisStandaloneConfiguration(Brokers.HOST, 6379));
    redis.afterPropertiesSet();
    redis.start();
    try {
      StringRedisTemplate template = new StringRedisTemplate(redis);
      List<String> keys = new ArrayList<>();
      try (var cursor =
          template.scan(ScanOptions.scanOptions().match(prefix + "*").count(1000).build())) {
        cursor.forEachRemaining(keys::add);
      }
      for (int i = 0; i < keys.size(); i += 1000) {
        template.unlink(keys.subList(i, Math.min(keys.size(), i + 1000)));
      }
    } catch (RuntimeException e) {
      System.out.println("  could not delete the idempotency keys: " + e);
    } finally {
      redis.destroy();
    }
  }
}
