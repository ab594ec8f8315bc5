package dev.asyncshop.messaging.parking;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The messages a bulk operation acts on: listed by id, or every one matching a query (only those
 * {@link ParkedState#PARKED} are ever acted on).
 *
 * @param ids the parked messages by id, or {@code null} to use the query
 * @param query a filter, when no ids are given
 */
public record Selection(@Nullable List<String> ids, @Nullable DeadLetterQuery query) {

  public static Selection of(List<String> ids) {
    return new Selection(List.copyOf(ids), null);
  }

  public static Selection matching(DeadLetterQuery query) {
    return new Selection(null, query);
  }
}
