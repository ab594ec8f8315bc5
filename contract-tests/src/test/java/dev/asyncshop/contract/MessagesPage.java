package dev.asyncshop.contract;

import static dev.asyncshop.contract.ServiceDocument.asMap;
import static dev.asyncshop.contract.ServiceDocument.list;
import static dev.asyncshop.contract.ServiceDocument.map;

import dev.asyncshop.messaging.MessagingProperties.Route;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * {@code docs/messages.md}: a summary of the services' AsyncAPI documents for readers, one table
 * per kind of message, each type with its channel, who sends it to whom, and its payload's members
 * as its producer's record has them ({@code ?} after a member its producer may leave out).
 */
final class MessagesPage {

  private MessagesPage() {}

  static String of(Collection<ServiceDocument> documents) {
    Map<String, ServiceDocument> byService =
        documents.stream()
            .collect(
                Collectors.toMap(
                    ServiceDocument::service, d -> d, (a, b) -> a, java.util.TreeMap::new));
    Map<String, MessageFlow> flows = MessageFlow.of(documents);
    StringBuilder page = new StringBuilder();
    page.append(
        """
        # Messages between the services

        Generated from the services' AsyncAPI documents in [`asyncapi/`](asyncapi/) by the
        `contract-tests` module (`./mvnw test`); do not edit by hand. Each running service serves its
        own document at `/actuator/asyncapi`; [asyncapi/README.md](asyncapi/README.md) says how they are
        made and the rules every handler follows.

        Every message is JSON with a CloudEvents envelope. Each service has its own records for the
        messages it sends and receives; the contract tests check that every consumer's record needs
        only what its producers' records send. A member followed by `?` may be left out.
        """);
    section(
        page,
        "Commands — RabbitMQ, one durable queue each",
        "| Type | Queue | Sent by → handled by | Payload |",
        flows,
        byService,
        "command",
        false);
    section(
        page,
        "Queries — RabbitMQ request/reply (to the asker's reply exchange)",
        "| Type | Queue | Asked by → answered by | Request | Reply |",
        flows,
        byService,
        "query",
        true);
    section(
        page,
        "Events — Kafka, key = the entity's id",
        "| Type | Topic | Published by → consumed by (group) | Payload |",
        flows,
        byService,
        "event",
        false);
    section(
        page,
        "Broadcasts — Redis pub/sub, may be lost",
        "| Type | Channel | Sent by → heard by | Payload |",
        flows,
        byService,
        "broadcast",
        false);
    return page.toString();
  }

  private static void section(
      StringBuilder page,
      String title,
      String header,
      Map<String, MessageFlow> flows,
      Map<String, ServiceDocument> documents,
      String kind,
      boolean withReply) {
    List<MessageFlow> ofKind =
        flows.values().stream().filter(flow -> flow.kind().equals(kind)).toList();
    if (ofKind.isEmpty()) {
      return;
    }
    page.append("\n## ").append(title).append("\n\n").append(header).append('\n');
    page.append(header.replaceAll("[^|]+", "---")).append('\n');
    for (MessageFlow flow : ofKind) {
      List<String> cells = new ArrayList<>();
      cells.add("`" + flow.type() + "`");
      cells.add("`" + flow.address() + "`");
      cells.add(parties(flow, kind.equals("event")));
      cells.add(payload(flow.type(), flow.producers(), documents));
      if (withReply) {
        String reply = Route.replyTypeOf(flow.type());
        cells.add(payload(reply, flow.consumers().keySet(), documents));
      }
      page.append("| ").append(String.join(" | ", cells)).append(" |\n");
    }
  }

  private static String parties(MessageFlow flow, boolean withGroups) {
    String from = flow.producers().isEmpty() ? "(none)" : names(flow.producers());
    String to =
        flow.consumers().isEmpty()
            ? "(none in the suite)"
            : flow.consumers().entrySet().stream()
                .map(
                    consumer ->
                        shortName(consumer.getKey())
                            + (!withGroups || consumer.getValue().isEmpty()
                                ? ""
                                : consumer.getValue().equals(MessageFlow.LOCAL_TABLE)
                                        || consumer.getValue().startsWith("projections ")
                                    ? " (" + consumer.getValue() + ")"
                                    : " (`" + consumer.getValue() + "`)"))
                .collect(Collectors.joining(", "));
    return from + " → " + to;
  }

  private static String names(Collection<String> services) {
    return services.stream().map(MessagesPage::shortName).collect(Collectors.joining(", "));
  }

  private static String shortName(String service) {
    return service.replaceFirst("-service$", "");
  }

  /** The payload as its first producer with a record describes it. */
  private static String payload(
      String type, Collection<String> producers, Map<String, ServiceDocument> documents) {
    return producers.stream()
        .map(documents::get)
        .map(document -> document.schema(type))
        .flatMap(Optional::stream)
        .findFirst()
        .map(schema -> "`" + members(schema) + "`")
        .orElse("(no record)");
  }

  private static String members(Map<String, Object> schema) {
    String type = String.valueOf(schema.get("type"));
    if (type.equals("array")) {
      return "[" + members(map(schema, "items")) + "]";
    }
    if (type.equals("object") && schema.containsKey("properties")) {
      List<Object> required = list(schema, "required");
      return map(schema, "properties").entrySet().stream()
          .map(
              member -> {
                Map<String, Object> value = asMap(member.getValue());
                String name = member.getKey() + (required.contains(member.getKey()) ? "" : "?");
                String valueType = String.valueOf(value.get("type"));
                if (valueType.equals("object") || valueType.equals("array")) {
                  return name + ": " + members(value);
                }
                List<Object> values = list(value, "enum");
                if (!values.isEmpty()) {
                  return name
                      + ": "
                      + values.stream().map(String::valueOf).collect(Collectors.joining("/"));
                }
                return value.containsKey("format") && !valueType.equals("integer")
                    ? name + ": " + value.get("format")
                    : name;
              })
          .collect(Collectors.joining(", ", "{", "}"));
    }
    return type;
  }
}
