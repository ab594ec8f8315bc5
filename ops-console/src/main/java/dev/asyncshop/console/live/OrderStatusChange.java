package dev.asyncshop.console.live;

import java.time.Instant;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One order's new status, as order-service broadcast it ({@code order.status-changed.v1}).
 *
 * @param messageId the event's id
 * @param orderId the order
 * @param status its status from now on
 * @param at when it changed, by order-service's clock
 * @param detail why, in words, when order-service said
 * @param correlationId the business flow, whose audit timeline the page links to
 */
public record OrderStatusChange(
    String messageId,
    String orderId,
    String status,
    @Nullable Instant at,
    @Nullable String detail,
    @Nullable String correlationId) {

  static final String TYPE = "order.status-changed.v1";

  /**
   * Reads a CloudEvent in JSON (structured mode, as the services send on Redis).
   *
   * @return the change, or empty for any other event and for text that is not one: the page shows
   *     what it can read and skips the rest, it acts on none of it
   */
  static Optional<OrderStatusChange> read(String event, JsonMapper json) {
    JsonNode root;
    try {
      root = json.readTree(event);
    } catch (JacksonException e) {
      return Optional.empty();
    }
    JsonNode data = root.path("data");
    String id = text(root, "id");
    String orderId = text(data, "orderId");
    String status = text(data, "status");
    if (!TYPE.equals(text(root, "type")) || id == null || orderId == null || status == null) {
      return Optional.empty();
    }
    return Optional.of(
        new OrderStatusChange(
            id,
            orderId,
            status,
            instant(text(data, "at")),
            text(data, "detail"),
            text(root, "correlationid")));
  }

  private static @Nullable String text(JsonNode node, String name) {
    JsonNode value = node.get(name);
    return value == null || !value.isValueNode() || value.isNull() ? null : value.asString();
  }

  private static @Nullable Instant instant(@Nullable String text) {
    try {
      return text == null ? null : Instant.parse(text);
    } catch (RuntimeException e) {
      return null;
    }
  }
}
