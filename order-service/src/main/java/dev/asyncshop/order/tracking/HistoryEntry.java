package dev.asyncshop.order.tracking;

import java.time.Instant;
import tools.jackson.databind.JsonNode;

/**
 * One event of an order's stream, as the event store keeps it and {@code orders.events} carries it.
 *
 * @param type the event's message type, such as {@code order.placed.v1}
 * @param data the event's body
 */
public record HistoryEntry(int version, String type, Instant at, JsonNode data) {}
