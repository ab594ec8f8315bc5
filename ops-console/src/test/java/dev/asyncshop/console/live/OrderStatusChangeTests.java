package dev.asyncshop.console.live;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class OrderStatusChangeTests {

  private final JsonMapper json = JsonMapper.builder().build();

  @Test
  void readsTheChangeOutOfAStructuredCloudEvent() {
    String event =
        """
        {"specversion":"1.0","id":"m-1","type":"order.status-changed.v1","source":"order-service",
         "correlationid":"o-1","signature":"abc",
         "data":{"orderId":"o-1","status":"SHIPPED","at":"2026-12-03T10:00:00Z","detail":"TRK-1"}}
        """;

    assertThat(OrderStatusChange.read(event, json))
        .contains(
            new OrderStatusChange(
                "m-1", "o-1", "SHIPPED", Instant.parse("2026-12-03T10:00:00Z"), "TRK-1", "o-1"));
  }

  @Test
  void skipsOtherEventsAndWhatIsNoEvent() {
    assertThat(
            OrderStatusChange.read(
                """
                {"id":"m-2","type":"inventory.stock-changed.v1","data":{"orderId":"o","status":"X"}}
                """,
                json))
        .isEmpty();
    assertThat(
            OrderStatusChange.read("{\"id\":\"m-3\",\"type\":\"order.status-changed.v1\"}", json))
        .isEmpty();
    assertThat(OrderStatusChange.read("not json", json)).isEmpty();
    assertThat(OrderStatusChange.read("[1,2]", json)).isEmpty();
  }

  @Test
  void aTimeItCannotReadIsLeftOutNotTheChange() {
    assertThat(
            OrderStatusChange.read(
                """
                {"id":"m-4","type":"order.status-changed.v1",
                 "data":{"orderId":"o-4","status":"PLACED","at":"yesterday"}}
                """,
                json))
        .hasValueSatisfying(change -> assertThat(change.at()).isNull());
  }
}
