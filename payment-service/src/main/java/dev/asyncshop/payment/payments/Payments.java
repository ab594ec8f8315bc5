package dev.asyncshop.payment.payments;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The payments, one per order. */
@Component
public class Payments {

  private static final String COLUMNS =
      "id, order_id, customer_id, status, amount, currency, decline_reason, refund_reason,"
          + " created_at, refunded_at";

  private final JdbcClient jdbc;

  Payments(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  public Optional<Payment> find(String orderId) {
    return jdbc.sql("select " + COLUMNS + " from payment where order_id = :orderId")
        .param("orderId", orderId)
        .query(Payments::payment)
        .optional();
  }

  /**
   * Adds the payment unless its order has one already. A concurrent add for the same order waits
   * for this one's transaction and then adds nothing.
   *
   * @return whether it was added
   */
  boolean addIfAbsent(Payment payment) {
    return jdbc.sql(
                "insert into payment ("
                    + COLUMNS
                    + ") values (:id, :orderId, :customerId,"
                    + " :status, :amount, :currency, :declineReason, :refundReason, :createdAt,"
                    + " :refundedAt) on conflict (order_id) do nothing")
            .param("id", payment.id())
            .param("orderId", payment.orderId())
            .param("customerId", payment.customerId())
            .param("status", payment.status().name())
            .param("amount", payment.amount())
            .param("currency", payment.currency())
            .param("declineReason", payment.declineReason())
            .param("refundReason", payment.refundReason())
            .param("createdAt", Timestamp.from(payment.createdAt()))
            .param("refundedAt", null)
            .update()
        == 1;
  }

  /**
   * Marks the order's payment refunded if it is authorized; the row lock makes this happen once.
   *
   * @return the refunded payment, or empty if there was nothing to refund
   */
  Optional<Payment> refund(String orderId, @Nullable String reason, Instant at) {
    return jdbc.sql(
            "update payment set status = 'REFUNDED', refund_reason = :reason, refunded_at = :at"
                + " where order_id = :orderId and status = 'AUTHORIZED' returning "
                + COLUMNS)
        .param("reason", reason)
        .param("at", Timestamp.from(at))
        .param("orderId", orderId)
        .query(Payments::payment)
        .optional();
  }

  private static Payment payment(ResultSet rs, int row) throws SQLException {
    Timestamp refundedAt = rs.getTimestamp("refunded_at");
    return new Payment(
        rs.getObject("id", UUID.class),
        rs.getString("order_id"),
        rs.getString("customer_id"),
        PaymentStatus.valueOf(rs.getString("status")),
        rs.getBigDecimal("amount"),
        rs.getString("currency"),
        rs.getString("decline_reason"),
        rs.getString("refund_reason"),
        rs.getTimestamp("created_at").toInstant(),
        refundedAt == null ? null : refundedAt.toInstant());
  }
}
