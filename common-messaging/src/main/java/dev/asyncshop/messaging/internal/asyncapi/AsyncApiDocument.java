package dev.asyncshop.messaging.internal.asyncapi;

import dev.asyncshop.messaging.MessageKind;
import dev.asyncshop.messaging.MessagingProperties;
import dev.asyncshop.messaging.MessagingProperties.Route;
import dev.asyncshop.messaging.Transport;
import dev.asyncshop.messaging.internal.asyncapi.ServiceClasses.Handler;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * Builds a service's AsyncAPI 3.0 document: a channel per destination, an operation per route the
 * service takes part in ({@code receive} for the types it handles, {@code send} for those it
 * constructs, queries with their {@code reply}), and a message per type with the JSON Schema of its
 * record and the CloudEvents envelope of its transport.
 */
final class AsyncApiDocument {

  static final String VERSION = "3.0.0";

  private static final String KAFKA_BINDING = "0.5.0";
  private static final String AMQP_BINDING = "0.3.0";

  private final String service;
  private final List<Route> routes;
  private final String destinationPrefix;
  private final MessagingProperties.Kafka kafka;
  private final ServiceClasses classes;

  private final Map<String, Object> channels = new TreeMap<>();
  private final Map<String, Object> operations = new TreeMap<>();
  private final Map<String, Object> messages = new TreeMap<>();
  private final Map<String, Object> schemas = new TreeMap<>();
  private final Set<String> envelopes = new TreeSet<>();

  private AsyncApiDocument(
      String service,
      List<Route> routes,
      String destinationPrefix,
      MessagingProperties.Kafka kafka,
      ServiceClasses classes) {
    this.service = service;
    this.routes = routes;
    this.destinationPrefix = destinationPrefix;
    this.kafka = kafka;
    this.classes = classes;
  }

  /** The document as nested maps and lists, ready to be written as JSON or YAML. */
  static Map<String, Object> of(
      String service, MessagingProperties properties, ServiceClasses classes) {
    return of(
        service, properties.routes(), properties.destinationPrefix(), properties.kafka(), classes);
  }

  /**
   * @param destinationPrefix put before each destination, as the running service does
   * @param kafka how many partitions and replicas the library gives the topics it creates
   */
  static Map<String, Object> of(
      String service,
      List<Route> routes,
      String destinationPrefix,
      MessagingProperties.Kafka kafka,
      ServiceClasses classes) {
    return new AsyncApiDocument(service, routes, destinationPrefix, kafka, classes).build();
  }

  private Map<String, Object> build() {
    for (Route route : routes) {
      addRoute(route);
    }
    envelopes.forEach(name -> schemas.put(name, CloudEventsHeaders.schemas().get(name)));
    Map<String, Object> document = new LinkedHashMap<>();
    document.put("asyncapi", VERSION);
    document.put("id", "urn:asyncshop:" + service);
    document.put(
        "info",
        Map.of(
            "title",
            service,
            "version",
            "1.0.0",
            "description",
            "The messages "
                + service
                + " sends and receives, generated from its routes (messaging.routes) and its"
                + " message records. Each message type carries its own version (.v1); every"
                + " message carries the CloudEvents attributes: ce_* headers on Kafka,"
                + " cloudEvents_* application properties on AMQP, a structured JSON CloudEvent"
                + " on Redis."));
    document.put("defaultContentType", "application/json");
    document.put("channels", channels);
    document.put("operations", operations);
    document.put("components", Map.of("messages", messages, "schemas", schemas));
    return document;
  }

  private void addRoute(Route route) {
    Transport transport = route.transport();
    String type = route.type();
    String channel = channel(route, transport);
    Handler handler = classes.handlers().get(type);
    Class<?> record = handler != null ? handler.payload() : classes.records().get(type);
    addMessage(type, record, route.kind(), transport, false);
    if (route.encrypt()) {
      encrypted(messages.get(type));
    }
    channelMessages(channel).put(type, ref("#/components/messages/" + type));

    @Nullable String replyChannel = null;
    if (route.kind() == MessageKind.QUERY) {
      String replyType = Route.replyTypeOf(type);
      Class<?> reply =
          handler != null && handler.reply() != null
              ? handler.reply()
              : classes.records().get(replyType);
      addMessage(replyType, reply, route.kind(), transport, true);
      replyChannel = channel + ".reply";
      Map<String, Object> replies = new LinkedHashMap<>();
      replies.put("address", null);
      replies.put(
          "description",
          "Each asking instance's own exclusive queue <service>.replies.<instance>, reached"
              + " through the asking service's exchange <service>.replies; the query's reply_to"
              + " names both as exchange/queue, so the channel has no fixed address");
      replies.put("messages", Map.of(replyType, ref("#/components/messages/" + replyType)));
      channels.put(replyChannel, replies);
    }
    if (handler != null) {
      operations.put(
          "receive." + type,
          handler.table()
              ? tableOperation(route, channel)
              : !handler.projections().isEmpty()
                  ? projectionOperation(route, channel, handler.projections())
                  : operation(
                      "receive", route, transport, channel, replyChannel, groupOf(handler)));
    }
    if (classes.constructed().contains(type)) {
      operations.put(
          "send." + type, operation("send", route, transport, channel, replyChannel, null));
    }
  }

  /**
   * A local table's reading of its topic: every instance reads it all, with no consumer group, so
   * the operation names none ({@code x-local-table}).
   */
  private Map<String, Object> tableOperation(Route route, String channel) {
    Map<String, Object> operation = new LinkedHashMap<>();
    operation.put("action", "receive");
    operation.put("channel", ref("#/channels/" + channel));
    operation.put(
        "summary",
        "Keeps a local table: every instance reads the topic from its first record at every start,"
            + " with no consumer group and no committed offsets, and then follows it");
    operation.put("messages", List.of(ref("#/channels/" + channel + "/messages/" + route.type())));
    operation.put("x-local-table", true);
    return operation;
  }

  /**
   * The reading of a topic into read models ({@code x-projections}): from its first record, with no
   * consumer group; the offsets are kept with the read model, in the service's database.
   */
  private Map<String, Object> projectionOperation(
      Route route, String channel, Set<String> handledFor) {
    // Sorted, so that the document does not change from one build to the next.
    List<String> projections = List.copyOf(new TreeSet<>(handledFor));
    Map<String, Object> operation = new LinkedHashMap<>();
    operation.put("action", "receive");
    operation.put("channel", ref("#/channels/" + channel));
    operation.put(
        "summary",
        "Kept in read models (projections "
            + String.join(", ", projections)
            + "): one instance reads the topic from its first record, with no consumer group, and"
            + " keeps its offsets with the read model in its database; a rebuild reads it all"
            + " again");
    operation.put("messages", List.of(ref("#/channels/" + channel + "/messages/" + route.type())));
    operation.put("x-projections", projections);
    return operation;
  }

  private String groupOf(Handler handler) {
    return handler.group().isEmpty() ? service : handler.group();
  }

  /** The channel of a route's destination, created on first use; its id is the destination. */
  private String channel(Route route, Transport transport) {
    String id = route.destination().replaceAll("[^A-Za-z0-9._-]", "_");
    Map<String, Object> existing = channelOrNull(id);
    if (existing != null && !transport.id().equals(existing.get("x-transport"))) {
      id = id + "." + transport.id();
      existing = channelOrNull(id);
    }
    if (existing == null) {
      String address = destinationPrefix + route.destination();
      Map<String, Object> channel = new LinkedHashMap<>();
      channel.put("address", address);
      channel.put("x-transport", transport.id());
      channel.put("messages", new TreeMap<String, Object>());
      switch (transport) {
        case KAFKA -> {
          channel.put(
              "description",
              route.compacted()
                  ? "Compacted Kafka topic; the record key is the partition key, and the topic"
                      + " keeps the last record of each key"
                  : route.keptForever()
                      ? "Kafka topic; the record key is the partition key, and the topic keeps"
                          + " every record forever"
                      : "Kafka topic; the record key is the partition key");
          Map<String, Object> binding = new LinkedHashMap<>();
          binding.put("topic", address);
          binding.put("partitions", kafka.partitions());
          binding.put("replicas", (int) kafka.replicationFactor());
          if (route.compacted()) {
            binding.put("topicConfiguration", Map.of("cleanup.policy", List.of("compact")));
          } else if (route.retention() != null) {
            binding.put("topicConfiguration", Map.of("retention.ms", route.retention().toMillis()));
          }
          binding.put("bindingVersion", KAFKA_BINDING);
          channel.put("bindings", Map.of("kafka", binding));
        }
        case RABBITMQ -> {
          channel.put(
              "description",
              "RabbitMQ durable queue, reached through its own direct exchange "
                  + address
                  + ".exchange (routing key: the queue name); dead letters go through "
                  + address
                  + ".dlx to "
                  + address
                  + ".dlq. The consuming service declares all four.");
          // What a sender's broker user must be allowed to write to (README, Broker users).
          channel.put("x-exchange", address + ".exchange");
          channel.put(
              "bindings",
              Map.of(
                  "amqp",
                  Map.of(
                      "is",
                      "queue",
                      "queue",
                      Map.of(
                          "name", address,
                          "durable", true,
                          "exclusive", false,
                          "autoDelete", false),
                      "bindingVersion",
                      AMQP_BINDING)));
        }
        case REDIS ->
            channel.put(
                "description",
                "Redis pub/sub channel: every running instance hears each message, at most once");
      }
      channels.put(id, channel);
    }
    return id;
  }

  @SuppressWarnings("unchecked")
  private @Nullable Map<String, Object> channelOrNull(String id) {
    return (Map<String, Object>) channels.get(id);
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> channelMessages(String id) {
    return (Map<String, Object>) ((Map<String, Object>) channels.get(id)).get("messages");
  }

  private Map<String, Object> operation(
      String action,
      Route route,
      Transport transport,
      String channel,
      @Nullable String replyChannel,
      @Nullable String group) {
    Map<String, Object> operation = new LinkedHashMap<>();
    operation.put("action", action);
    operation.put("channel", ref("#/channels/" + channel));
    operation.put("summary", summary(action, route));
    operation.put("messages", List.of(ref("#/channels/" + channel + "/messages/" + route.type())));
    Map<String, Object> bindings = operationBindings(action, transport, group);
    if (!bindings.isEmpty()) {
      operation.put("bindings", bindings);
    }
    if (replyChannel != null) {
      String replyType = Route.replyTypeOf(route.type());
      operation.put(
          "reply",
          Map.of(
              "address",
              Map.of(
                  "location",
                  "$message.header#/replyTo",
                  "description",
                  "the asker's reply exchange and queue (exchange/queue), in the request's"
                      + " reply_to property"),
              "channel",
              ref("#/channels/" + replyChannel),
              "messages",
              List.of(ref("#/channels/" + replyChannel + "/messages/" + replyType))));
    }
    return operation;
  }

  private static String summary(String action, Route route) {
    boolean send = action.equals("send");
    return switch (route.kind()) {
      case COMMAND ->
          send
              ? "Sends the command; persistent, mandatory and confirmed by the broker"
              : "Handles the command; one consumer takes each message";
      case EVENT ->
          send
              ? "Publishes the event; acks=all, in order per partition key"
              : "Consumes the event; each consumer group gets every event";
      case QUERY ->
          send
              ? "Asks the query and waits at most " + seconds(route.timeout()) + " for the reply"
              : "Answers the query with its reply";
      case BROADCAST ->
          send
              ? "Broadcasts to every running instance; may be lost"
              : "Hears the broadcast on every running instance";
      case REPLY -> send ? "Answers with the reply" : "Receives the reply";
    };
  }

  private static String seconds(java.time.Duration timeout) {
    return timeout.toMillis() % 1000 == 0 ? timeout.toSeconds() + " s" : timeout.toMillis() + " ms";
  }

  private static Map<String, Object> operationBindings(
      String action, Transport transport, @Nullable String group) {
    boolean receive = action.equals("receive");
    return switch (transport) {
      case KAFKA ->
          receive
              ? Map.of(
                  "kafka",
                  Map.of(
                      "groupId",
                      Map.of("type", "string", "enum", List.of(String.valueOf(group))),
                      "bindingVersion",
                      KAFKA_BINDING))
              : Map.of();
      case RABBITMQ ->
          Map.of(
              "amqp",
              receive
                  ? Map.of("ack", true, "bindingVersion", AMQP_BINDING)
                  : Map.of(
                      "deliveryMode",
                      2,
                      "mandatory",
                      true,
                      "timestamp",
                      true,
                      "bindingVersion",
                      AMQP_BINDING));
      case REDIS -> Map.of();
    };
  }

  /** Says, and tags, that a message's payload travels encrypted; its schema is the plaintext's. */
  @SuppressWarnings("unchecked")
  private static void encrypted(Object message) {
    Map<String, Object> described = (Map<String, Object>) message;
    described.put(
        "description",
        "The payload travels encrypted (AES-256-GCM, a data key per message wrapped by a master key:"
            + " the encryptionkeyid, encrypteddatakey and encryptionnonce attributes); the schema is"
            + " that of the payload once decrypted. README, Security, What is encrypted.");
    List<Map<String, Object>> tags =
        new ArrayList<>((List<Map<String, Object>>) described.get("tags"));
    tags.add(Map.of("name", "encrypted"));
    described.put("tags", tags);
  }

  private void addMessage(
      String type,
      @Nullable Class<?> record,
      MessageKind kind,
      Transport transport,
      boolean reply) {
    if (messages.containsKey(type)) {
      return;
    }
    Map<String, Object> message = new LinkedHashMap<>();
    message.put("name", type);
    message.put("title", record == null ? type : record.getSimpleName());
    message.put("contentType", "application/json");
    List<Map<String, Object>> tags = new ArrayList<>();
    tags.add(Map.of("name", reply ? "reply" : kind.name().toLowerCase(java.util.Locale.ROOT)));
    tags.add(Map.of("name", transport.id()));
    message.put("tags", tags);
    if (record != null) {
      schemas.put(type, JsonSchemas.of(record));
    } else {
      message.put(
          "description",
          "No record of this service names this type with @MessageType, so its payload is not"
              + " described");
    }
    Object payload = ref("#/components/schemas/" + type);
    switch (transport) {
      case KAFKA -> {
        envelopes.add(CloudEventsHeaders.KAFKA);
        message.put("headers", ref("#/components/schemas/" + CloudEventsHeaders.KAFKA));
        message.put(
            "bindings",
            Map.of(
                "kafka",
                Map.of(
                    "key",
                    Map.of(
                        "type",
                        "string",
                        "description",
                        "the partition key (MessageOptions.about), such as the order id"),
                    "bindingVersion",
                    KAFKA_BINDING)));
      }
      case RABBITMQ -> {
        envelopes.add(CloudEventsHeaders.AMQP);
        message.put("headers", ref("#/components/schemas/" + CloudEventsHeaders.AMQP));
        message.put(
            "bindings",
            Map.of("amqp", Map.of("messageType", type, "bindingVersion", AMQP_BINDING)));
      }
      case REDIS -> {
        envelopes.add(CloudEventsHeaders.STRUCTURED);
        payload =
            Map.of(
                "allOf",
                List.of(
                    ref("#/components/schemas/" + CloudEventsHeaders.STRUCTURED),
                    Map.of(
                        "type",
                        "object",
                        "properties",
                        Map.of("data", ref("#/components/schemas/" + type)))));
      }
    }
    if (record != null) {
      message.put("payload", payload);
    }
    message.put(
        "correlationId", Map.of("location", CloudEventsHeaders.correlationIdLocation(transport)));
    messages.put(type, message);
  }

  private static Map<String, Object> ref(String pointer) {
    return Map.of("$ref", pointer);
  }
}
