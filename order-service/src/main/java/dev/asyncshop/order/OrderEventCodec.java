package dev.asyncshop.order;

import dev.asyncshop.messaging.MessageType;
import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * How an {@link OrderEvent} is kept in the event store: its message type, as on {@code
 * orders.events}, and its record as JSON, the same body the outbox publishes.
 */
@Component
class OrderEventCodec {

  private final JsonMapper json;
  private final Map<String, Class<?>> classes =
      Arrays.stream(OrderEvent.class.getPermittedSubclasses())
          .collect(
              Collectors.toUnmodifiableMap(
                  type -> type.getAnnotation(MessageType.class).value(), Function.identity()));

  OrderEventCodec(JsonMapper json) {
    this.json = json;
  }

  String type(OrderEvent event) {
    return event.getClass().getAnnotation(MessageType.class).value();
  }

  String write(OrderEvent event) {
    return json.writeValueAsString(event);
  }

  /**
   * @throws IllegalStateException if the type is none of the order's events: a stream this version
   *     cannot read, written by a newer one
   */
  OrderEvent read(String type, String data) {
    Class<?> target = classes.get(type);
    if (target == null) {
      throw new IllegalStateException(
          "An order event of type '" + type + "' is stored, which this version does not know");
    }
    return (OrderEvent) json.readValue(data, target);
  }
}
