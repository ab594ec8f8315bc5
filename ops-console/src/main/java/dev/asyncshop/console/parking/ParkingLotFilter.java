package dev.asyncshop.console.parking;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The list's filter as the operator set it; a blank field matches everything.
 *
 * @param service one service's short name, or all of them
 * @param state PARKED by default, since that is what waits for an operator; {@code ANY} for all
 */
record ParkingLotFilter(
    @Nullable String service,
    @Nullable String state,
    @Nullable String transport,
    @Nullable String destination,
    @Nullable String type,
    @Nullable String reason,
    @Nullable String correlationId) {

  static final String ANY = "ANY";

  /** The filter as the parking lot API takes it, in a query string or a bulk request's body. */
  Map<String, String> query() {
    Map<String, String> query = new LinkedHashMap<>();
    String chosenState = state == null || state.isBlank() ? "PARKED" : state;
    if (!ANY.equals(chosenState)) {
      query.put("state", chosenState);
    }
    put(query, "transport", transport == null ? null : transport.toLowerCase(Locale.ROOT));
    put(query, "destination", destination);
    put(query, "type", type);
    put(query, "reason", reason);
    put(query, "correlationId", correlationId);
    return query;
  }

  /** The state the list shows when the operator chose none. */
  public String stateOrDefault() {
    return state == null || state.isBlank() ? "PARKED" : state;
  }

  public boolean oneService() {
    return service != null && !service.isBlank();
  }

  private static void put(Map<String, String> query, String name, @Nullable String value) {
    if (value != null && !value.isBlank()) {
      query.put(name, value.strip());
    }
  }
}
