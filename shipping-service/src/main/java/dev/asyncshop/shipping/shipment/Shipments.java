package dev.asyncshop.shipping.shipment;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The shipments, one per order. */
@Component
public class Shipments {

  private static final String COLUMNS =
      "id, order_id, tracking_number, carrier, recipient_name, street, city, postal_code, country,"
          + " weight_kg, price, currency, estimated_delivery, created_at";

  private final JdbcClient jdbc;

  Shipments(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  public Optional<Shipment> find(String orderId) {
    return jdbc.sql("select " + COLUMNS + " from shipment where order_id = :orderId")
        .param("orderId", orderId)
        .query(Shipments::shipment)
        .optional();
  }

  /**
   * Adds the shipment unless its order has one already. A concurrent add for the same order waits
   * for this one's transaction and then adds nothing.
   *
   * @return whether it was added
   */
  boolean addIfAbsent(Shipment shipment) {
    Address to = shipment.address();
    return jdbc.sql(
                "insert into shipment ("
                    + COLUMNS
                    + ") values (:id, :orderId, :trackingNumber, :carrier, :name, :street, :city,"
                    + " :postalCode, :country, :weightKg, :price, :currency, :estimatedDelivery,"
                    + " :createdAt) on conflict (order_id) do nothing")
            .param("id", shipment.id())
            .param("orderId", shipment.orderId())
            .param("trackingNumber", shipment.trackingNumber())
            .param("carrier", shipment.carrier())
            .param("name", to.name())
            .param("street", to.street())
            .param("city", to.city())
            .param("postalCode", to.postalCode())
            .param("country", to.country())
            .param("weightKg", shipment.weightKg())
            .param("price", shipment.price())
            .param("currency", shipment.currency())
            .param("estimatedDelivery", shipment.estimatedDelivery())
            .param("createdAt", Timestamp.from(shipment.createdAt()))
            .update()
        == 1;
  }

  private static Shipment shipment(ResultSet rs, int row) throws SQLException {
    return new Shipment(
        rs.getObject("id", UUID.class),
        rs.getString("order_id"),
        rs.getString("tracking_number"),
        rs.getString("carrier"),
        new Address(
            rs.getString("recipient_name"),
            rs.getString("street"),
            rs.getString("city"),
            rs.getString("postal_code"),
            rs.getString("country")),
        rs.getBigDecimal("weight_kg"),
        rs.getBigDecimal("price"),
        rs.getString("currency"),
        rs.getObject("estimated_delivery", LocalDate.class),
        rs.getTimestamp("created_at").toInstant());
  }
}
