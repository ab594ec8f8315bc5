package dev.asyncshop.messaging.core;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/** What one consumer group takes from one destination, and the handler of each type found there. */
public record Subscription(
    String transport, String destination, String group, Map<String, HandlerMethod> handlers) {

  public @Nullable HandlerMethod handlerOf(String type) {
    return handlers.get(type);
  }
}
