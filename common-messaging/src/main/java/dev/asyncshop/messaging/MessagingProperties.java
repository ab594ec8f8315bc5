package dev.asyncshop.messaging;

import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Everything under {@code messaging.*}. A service normally sets only its routes; the rest has
 * defaults that keep the guarantees on.
 *
 * @param serviceName the source of every message and the default consumer group; defaults to {@code
 *     spring.application.name}
 * @param routes binds each message type to a kind, a transport and a destination
 * @param retry how handlers are retried when a route does not say otherwise
 * @param idempotency how duplicates are recognised
 * @param audit where audit records go
 * @param rabbitmq RabbitMQ settings for commands and queries
 * @param kafka Kafka settings for events and the audit trail
 * @param redis Redis settings for broadcasts
 * @param outbox the transactional outbox and its relay
 * @param parkingLot the parking lot of dead letters
 * @param destinationPrefix put before every route's destination (and so before its dead-letter
 *     destination), to keep several environments or test runs apart on shared brokers
 * @param maxPayloadSize the largest payload a service sends or reads, as the bytes of its JSON
 *     before any encryption: a larger one is refused when sent ({@link IllegalArgumentException})
 *     and dead-lettered as {@link DeadLetterReason#POISON} when received, before it is parsed.
 *     Under Kafka's default record limit of 1 MB, with room for the envelope; send a reference to
 *     large data instead
 */
@ConfigurationProperties("messaging")
public record MessagingProperties(
    @Nullable String serviceName,
    @DefaultValue List<Route> routes,
    @DefaultValue Retry retry,
    @DefaultValue Idempotency idempotency,
    @DefaultValue Audit audit,
    @DefaultValue RabbitMq rabbitmq,
    @DefaultValue Kafka kafka,
    @DefaultValue Redis redis,
    @DefaultValue Outbox outbox,
    @DefaultValue ParkingLot parkingLot,
    @DefaultValue("") String destinationPrefix,
    @DefaultValue("512KB") DataSize maxPayloadSize) {

  /**
   * One message type's way through the system.
   *
   * @param type the versioned message type, as in {@link MessageType}
   * @param kind event, command, query or broadcast
   * @param transport kafka, rabbitmq or redis; optional, since it follows from the kind (events
   *     over kafka, commands and queries over rabbitmq, broadcasts over redis)
   * @param destination the topic, queue or channel
   * @param retry this route's retries, replacing {@code messaging.retry} as a whole
   * @param timeout how long a query waits for its reply
   * @param encrypt the payload travels encrypted (AES-256-GCM under a key of {@code
   *     messaging.encryption}): the sender encrypts it, and the receiver decrypts it and rejects it
   *     to the dead letters if it arrives in the clear or cannot be decrypted; a query's reply is
   *     not encrypted
   * @param compacted the Kafka topic keeps the last record of each key ({@code
   *     cleanup.policy=compact}) rather than deleting old records by age: for a topic that carries
   *     the current state of things, which a {@link HandleMessage#table() table} reads from the
   *     start. The library creates the topic so when it creates it; every route of the topic says
   *     the same
   * @param retention how long the Kafka topic keeps a record ({@code retention.ms}) when the
   *     library creates it; none is the broker's default. {@code -1}, as Kafka spells it (any
   *     negative duration reads the same, {@link #FOREVER}), keeps every record forever: for a log
   *     that read models are rebuilt from, from its first record, such as {@code orders.events}. On
   *     a compacted topic it is ignored: a key's last record stays however old it is
   */
  public record Route(
      String type,
      MessageKind kind,
      Transport transport,
      String destination,
      @Nullable Retry retry,
      @DefaultValue("5s") Duration timeout,
      @DefaultValue("false") boolean encrypt,
      @DefaultValue("false") boolean compacted,
      @Nullable Duration retention) {

    /**
     * The {@link #retention()} of a topic that keeps every record forever ({@code
     * retention.ms=-1}). A {@link Duration} has no infinity, so Kafka's own {@code -1} stands for
     * it.
     */
    public static final Duration FOREVER = Duration.ofMillis(-1);

    /**
     * Fills in the transport of the kind when none is configured, and reads a negative retention as
     * {@link #FOREVER}.
     */
    @ConstructorBinding
    @SuppressWarnings("ConstantValue")
    public Route {
      if (transport == null && kind != null) {
        transport = Transport.of(kind);
      }
      if (retention != null && retention.isNegative()) {
        retention = FOREVER;
      }
    }

    /** Whether the topic keeps every record forever; see {@link #retention()}. */
    public boolean keptForever() {
      return FOREVER.equals(retention);
    }

    /** A route on a topic kept as the broker's defaults say. */
    public Route(
        String type,
        MessageKind kind,
        Transport transport,
        String destination,
        @Nullable Retry retry,
        Duration timeout,
        boolean encrypt) {
      this(type, kind, transport, destination, retry, timeout, encrypt, false, null);
    }

    /** A route whose payload travels in the clear. */
    public Route(
        String type,
        MessageKind kind,
        Transport transport,
        String destination,
        @Nullable Retry retry,
        Duration timeout) {
      this(type, kind, transport, destination, retry, timeout, false);
    }

    /**
     * The type of a query's reply: the query's type with {@code .reply} before its version ({@code
     * shipping.quote.v1} answers with {@code shipping.quote.reply.v1}), or with {@code .reply}
     * appended when the type has no version.
     */
    public String replyType() {
      return replyTypeOf(type);
    }

    /** The reply type of a query type; see {@link #replyType()}. */
    public static String replyTypeOf(String queryType) {
      int version = queryType.lastIndexOf('.');
      if (version > 0 && isVersion(queryType.substring(version + 1))) {
        return queryType.substring(0, version) + ".reply" + queryType.substring(version);
      }
      return queryType + ".reply";
    }

    private static boolean isVersion(String segment) {
      return segment.length() > 1
          && segment.charAt(0) == 'v'
          && segment.chars().skip(1).allMatch(Character::isDigit);
    }

    /**
     * The route a reply to this query takes back to the asker: the reply type, over this route's
     * transport; its destination names the query's, for metrics and audit records. A reply is not
     * encrypted: the asker reads it outside any consumer pipeline, so nothing there would decrypt
     * it.
     */
    public Route reply() {
      return new Route(replyType(), MessageKind.REPLY, transport, destination, null, timeout);
    }
  }

  /**
   * Exponential backoff with jitter around a failing handler.
   *
   * @param maxRetries runs after the first one before the message is dead-lettered
   * @param initialDelay wait before the first retry
   * @param multiplier growth of the wait from one retry to the next
   * @param maxDelay longest wait between two runs
   * @param jitter random spread added to each wait so that failing consumers do not retry in step
   * @param nonRetryable exceptions that retrying cannot fix, dead-lettered at once, in addition to
   *     {@link NonRetryableMessageException}
   * @param unavailable exceptions (or causes) saying that something the handler needs is down: its
   *     database, Redis, a service it calls. Once the retries are spent such a message is not
   *     dead-lettered, since nothing is wrong with it, but given back to its broker to be delivered
   *     again later, for as long as the outage lasts ({@link
   *     dev.asyncshop.messaging.spi.DependencyUnavailableException}). The defaults are Spring's
   *     connection failures (a {@code CannotGetJdbcConnectionException} or {@code
   *     RedisConnectionFailureException} is a {@code DataAccessResourceFailureException}) and a
   *     refused connection; setting the list replaces them
   */
  public record Retry(
      @DefaultValue("3") int maxRetries,
      @DefaultValue("200ms") Duration initialDelay,
      @DefaultValue("2.0") double multiplier,
      @DefaultValue("5s") Duration maxDelay,
      @DefaultValue("50ms") Duration jitter,
      @DefaultValue List<Class<? extends Throwable>> nonRetryable,
      @DefaultValue(
              "org.springframework.dao.DataAccessResourceFailureException,"
                  + "org.springframework.transaction.CannotCreateTransactionException,"
                  + "org.springframework.dao.TransientDataAccessResourceException,"
                  + "java.net.ConnectException")
          List<Class<? extends Throwable>> unavailable) {}

  /**
   * Duplicate detection for events and commands.
   *
   * @param store redis, jdbc (in the handler's transaction) or none
   * @param processingTtl how long a Redis claim lasts while a handler runs; a crashed consumer's
   *     claim expires after it
   * @param retention how long a handled message id is remembered; must outlast the longest time a
   *     dead letter may wait before it is replayed
   * @param keyPrefix Redis key prefix
   * @param table JDBC table holding handled message ids
   */
  public record Idempotency(
      @DefaultValue("redis") Store store,
      @DefaultValue("2m") Duration processingTtl,
      @DefaultValue("7d") Duration retention,
      @DefaultValue("idempotency") String keyPrefix,
      @DefaultValue("processed_message") String table) {

    /** Where handled message ids are remembered. */
    public enum Store {
      /** Redis keys with a TTL: claimed while the handler runs, marked done after it. */
      REDIS,
      /** A table written in the handler's own transaction (needs a DataSource). */
      JDBC,
      /** Nothing is remembered: a redelivered message runs its handler again. */
      NONE
    }
  }

  /**
   * The audit trail.
   *
   * @param log write each record as a structured log line
   * @param kafka write each record to {@code topic} when Kafka is present
   * @param topic the Kafka topic of audit records
   * @param linger how long audit records may wait to leave for Kafka together ({@code linger.ms} of
   *     the audit trail's own producer); nobody waits for them, and larger batches cost the broker
   *     and the client much less per record
   */
  public record Audit(
      @DefaultValue("true") boolean log,
      @DefaultValue("true") boolean kafka,
      @DefaultValue("audit.events") String topic,
      @DefaultValue("50ms") Duration linger) {}

  /**
   * RabbitMQ settings. Each queue {@code <queue>} comes with the exchange {@code <queue>.exchange}
   * that senders publish to, and dead letters go through {@code <queue>.dlx} to {@code
   * <queue>.dlq}; all declared by the consuming service, so that broker permissions can name them.
   *
   * @param queueType classic or quorum, for queues this library declares
   * @param prefetch unacknowledged messages per consumer
   * @param concurrency consumers per queue
   * @param confirmTimeout how long a send waits for the broker's confirm
   * @param enabled use RabbitMQ when its client is configured; off, the library neither sends nor
   *     consumes there (for example when a test puts an in-memory transport in its place)
   */
  public record RabbitMq(
      @DefaultValue("classic") QueueType queueType,
      @DefaultValue("20") int prefetch,
      @DefaultValue("1") int concurrency,
      @DefaultValue("5s") Duration confirmTimeout,
      @DefaultValue("true") boolean enabled) {

    /** The RabbitMQ queue type of the queues this library declares. */
    public enum QueueType {
      /** RabbitMQ's classic queue: fastest, on one node. */
      CLASSIC,
      /** Replicated over the cluster's nodes (Raft), for commands that must survive a node. */
      QUORUM
    }
  }

  /**
   * Kafka settings.
   *
   * @param partitions partitions of the topics this library creates
   * @param replicationFactor replication of the topics this library creates
   * @param concurrency consumer threads per subscription
   * @param sendTimeout how long a publish waits for {@code acks=all}
   * @param enabled use Kafka for events and the audit trail when its client is configured; off, the
   *     library neither publishes, consumes nor creates topics there
   * @param deadLetterRetention {@code retention.ms} of the dead-letter topics this library creates:
   *     a dead letter waits there until the parking lot takes it, so at least as long as it may be
   *     replayed ({@code messaging.parking-lot.replayable-for}, checked at start-up) covers any
   *     outage of the parking lot's database
   */
  public record Kafka(
      @DefaultValue("3") int partitions,
      @DefaultValue("1") short replicationFactor,
      @DefaultValue("1") int concurrency,
      @DefaultValue("10s") Duration sendTimeout,
      @DefaultValue("true") boolean enabled,
      @DefaultValue("7d") Duration deadLetterRetention) {}

  /**
   * Redis settings.
   *
   * @param enabled use Redis for broadcasts and the Redis idempotency store when its client is
   *     configured; off, the library neither publishes nor subscribes there
   * @param deadLetterMaxLength about how many entries a dead-letter stream keeps ({@code XADD
   *     MAXLEN ~}); the parking lot empties it within seconds, so the cap only bites while the
   *     parking lot's database is out of reach, and then drops the oldest broadcasts, which are
   *     notices of their moment
   */
  public record Redis(
      @DefaultValue("true") boolean enabled, @DefaultValue("10000") long deadLetterMaxLength) {}

  /**
   * The transactional outbox.
   *
   * @param enabled write {@link dev.asyncshop.messaging.Outbox} messages to a table and relay them
   * @param table the outbox table
   * @param pollInterval how often the relay looks for unsent rows when nothing wakes it earlier
   * @param batchSize rows sent per relay transaction
   * @param maxBackoff longest wait before a failed row is tried again; short, because after a
   *     broker outage the rows waiting are answers a saga's deadline is counting on (only a key's
   *     oldest row is tried, so a short wait costs one send attempt per stuck key)
   * @param retention how long sent rows are kept before they are deleted
   * @param parkAfter failed attempts, each while the row's broker was reachable, after which a row
   *     is parked: moved to the parking lot for an operator, no longer tried, and still holding up
   *     its key's later rows so they do not overtake it. Attempts while the broker is down never
   *     park a row: those wait for the broker however long it takes
   */
  public record Outbox(
      @DefaultValue("false") boolean enabled,
      @DefaultValue("outbox") String table,
      @DefaultValue("200ms") Duration pollInterval,
      @DefaultValue("100") int batchSize,
      @DefaultValue("10s") Duration maxBackoff,
      @DefaultValue("1d") Duration retention,
      @DefaultValue("10") int parkAfter) {}

  /**
   * The parking lot ({@link dev.asyncshop.messaging.parking.ParkingLot}), in services with a
   * database.
   *
   * @param enabled move every dead letter of this service into its database and offer the parking
   *     lot's API at {@code /ops/dead-letters}
   * @param pollInterval how often Redis dead-letter streams are read (Redis cannot push them)
   * @param claimTimeout how long a replay may hold its message before another may take it over (the
   *     instance replaying it died)
   * @param replayableFor how long after its last failure a parked message may still be replayed
   *     through its consumer: it must end before {@code messaging.idempotency.retention} does, or
   *     the consumer may have forgotten that it handled the message meanwhile and act on it twice
   *     (checked at start-up). Older ones can still be inspected and purged. An outbox row has no
   *     such limit: no consumer has seen it
   * @param history how long a replayed or purged message is kept, as the record of what operators
   *     did, before it is deleted
   */
  public record ParkingLot(
      @DefaultValue("true") boolean enabled,
      @DefaultValue("2s") Duration pollInterval,
      @DefaultValue("5m") Duration claimTimeout,
      @DefaultValue("6d") Duration replayableFor,
      @DefaultValue("30d") Duration history) {}
}
