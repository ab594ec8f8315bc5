package dev.asyncshop.contract;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One message type across the suite: who produces it and who consumes it, as the services'
 * documents say. A query's reply is a flow of its own, from the answering service to the asker.
 *
 * @param type the message type, such as {@code shipping.quote.reply.v1}
 * @param kind command, event, query, broadcast or reply
 * @param transport kafka, rabbitmq or redis
 * @param address the channel's address; empty for a reply (each asker's own reply queue)
 * @param producers the services that send it
 * @param consumers the services that receive it, with their consumer group where they name one
 */
record MessageFlow(
    String type,
    String kind,
    String transport,
    String address,
    Set<String> producers,
    Map<String, String> consumers) {

  /** Whether it goes from one service to another, and so has a contract to keep. */
  boolean crossesServices() {
    return producers.stream()
        .anyMatch(p -> consumers.keySet().stream().anyMatch(c -> !c.equals(p)));
  }

  /** Every flow of every document, by type. */
  static Map<String, MessageFlow> of(Collection<ServiceDocument> documents) {
    Map<String, Builder> flows = new TreeMap<>();
    for (ServiceDocument document : documents) {
      document
          .operations()
          .forEach(
              (id, value) -> {
                Map<String, Object> operation = ServiceDocument.asMap(value);
                boolean send = "send".equals(operation.get("action"));
                String channelId = ServiceDocument.referencedId(operation.get("channel"));
                String type =
                    ServiceDocument.referencedId(
                        ServiceDocument.list(operation, "messages").get(0));
                Map<String, Object> message = document.message(type);
                Builder flow =
                    flows.computeIfAbsent(
                        type,
                        t ->
                            new Builder(
                                t, tag(message, 0), tag(message, 1), address(document, channelId)));
                String group = group(operation);
                if (send) {
                  flow.producers.add(document.service());
                } else {
                  flow.consumers.put(document.service(), group);
                }
                Map<String, Object> reply = ServiceDocument.map(operation, "reply");
                if (!reply.isEmpty()) {
                  String replyType =
                      ServiceDocument.referencedId(ServiceDocument.list(reply, "messages").get(0));
                  Builder replies =
                      flows.computeIfAbsent(
                          replyType, t -> new Builder(t, "reply", tag(document.message(t), 1), ""));
                  // The answering side sends the reply; the asking side receives it.
                  if (send) {
                    replies.consumers.put(document.service(), "");
                  } else {
                    replies.producers.add(document.service());
                  }
                }
              });
    }
    Map<String, MessageFlow> built = new TreeMap<>();
    flows.forEach((type, flow) -> built.put(type, flow.build()));
    return built;
  }

  private static String tag(Map<String, Object> message, int index) {
    var tags = ServiceDocument.list(message, "tags");
    return tags.size() > index
        ? String.valueOf(ServiceDocument.asMap(tags.get(index)).get("name"))
        : "";
  }

  private static String address(ServiceDocument document, String channelId) {
    Object address = document.channel(channelId).get("address");
    return address == null ? "" : address.toString();
  }

  /**
   * In place of a group: the consumer keeps a local table, read by every instance from the start.
   */
  static final String LOCAL_TABLE = "local table";

  private static String group(Map<String, Object> operation) {
    if (Boolean.TRUE.equals(operation.get("x-local-table"))) {
      return LOCAL_TABLE;
    }
    // In place of a group too: read models, each written by one instance from its own offsets.
    if (operation.get("x-projections") instanceof List<?> projections && !projections.isEmpty()) {
      return "projections " + String.join(", ", projections.stream().map(String::valueOf).toList());
    }
    var groupId =
        ServiceDocument.map(
            ServiceDocument.map(ServiceDocument.map(operation, "bindings"), "kafka"), "groupId");
    var names = ServiceDocument.list(groupId, "enum");
    return names.isEmpty() ? "" : String.valueOf(names.get(0));
  }

  private static final class Builder {
    final String type;
    final String kind;
    final String transport;
    final String address;
    final Set<String> producers = new TreeSet<>();
    final Map<String, String> consumers = new TreeMap<>();

    Builder(String type, String kind, String transport, String address) {
      this.type = type;
      this.kind = kind;
      this.transport = transport;
      this.address = address;
    }

    MessageFlow build() {
      return new MessageFlow(
          type, kind, transport, address, new TreeSet<>(producers), new TreeMap<>(consumers));
    }
  }
}
