package dev.asyncshop.order;

import dev.asyncshop.messaging.MessageType;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Something that happened to an order: the source of truth of its state. An order's events form its
 * stream, numbered from 1 by {@link #version()}; the order is what its events, applied in that
 * order, make of it ({@link Order#replay}). They are appended to the event store and written to the
 * outbox in one transaction, and published as they are on {@code orders.events}, keyed by the
 * order, so a reader can rebuild any view of the orders from the topic.
 *
 * <p>What a step sends to other services (reserve, authorize, release, refund, schedule) is not an
 * event: the step decides it, it is written to the outbox beside the events, and an order rebuilt
 * from its events sends nothing again.
 *
 * <p>Personal data is in none of them: an append-only log, and a topic others read, can never
 * forget it. The shipping address (the events carry only its country) and the card token, which the
 * order must forget once the payment step is over, are kept beside the stream, in the order's row
 * ({@link Order.PersonalData}).
 */
public sealed interface OrderEvent {

  UUID orderId();

  /** The event's place in its order's stream: 1 for the first, each next one more. */
  int version();

  /** When it happened, on the wall clock. */
  Instant at();

  /** One product of {@link OrderPlaced}, as the catalogue priced and weighed it. */
  record PlacedLine(
      String sku, String name, int quantity, BigDecimal unitPrice, BigDecimal weightKg) {}

  /**
   * The order was placed and inventory asked to reserve it.
   *
   * @param shipToCountry the country of the shipping address, ISO 3166-1 alpha-2
   * @param pricingNote how a price was set when not as usual (shipping priced from the published
   *     tariff, and why); none for the usual way
   * @param deadline when the reservation times out, on saga time
   */
  @MessageType("order.placed.v1")
  record OrderPlaced(
      UUID orderId,
      int version,
      Instant at,
      String customerId,
      List<PlacedLine> lines,
      String shipToCountry,
      BigDecimal weightKg,
      BigDecimal itemsTotal,
      BigDecimal shippingPrice,
      BigDecimal total,
      String currency,
      @Nullable String pricingNote,
      Instant deadline)
      implements OrderEvent {}

  /**
   * Inventory reserved every line; payment was asked to authorize the total.
   *
   * @param deadline when the authorization times out, on saga time
   */
  @MessageType("order.reserved.v1")
  record OrderReserved(UUID orderId, int version, Instant at, Instant deadline)
      implements OrderEvent {}

  /** Payment authorized the total. */
  @MessageType("order.paid.v1")
  record OrderPaid(
      UUID orderId, int version, Instant at, String paymentId, BigDecimal amount, String currency)
      implements OrderEvent {}

  /** Paid and reserved; shipping was asked to schedule the shipment. */
  @MessageType("order.confirmed.v1")
  record OrderConfirmed(UUID orderId, int version, Instant at) implements OrderEvent {}

  /** Shipping scheduled the shipment. */
  @MessageType("order.shipped.v1")
  record OrderShipped(
      UUID orderId,
      int version,
      Instant at,
      String shipmentId,
      String trackingNumber,
      String carrier,
      @Nullable LocalDate estimatedDelivery)
      implements OrderEvent {}

  /** Why an order ended without shipping. */
  enum CancelCause {
    /** Inventory could not reserve the lines: the order is {@link OrderStatus#REJECTED}. */
    INVENTORY_REJECTED,
    PAYMENT_DECLINED,
    INVENTORY_TIMED_OUT,
    PAYMENT_TIMED_OUT
  }

  /**
   * The order ended without shipping; what the earlier steps did was compensated.
   *
   * @param status {@link OrderStatus#REJECTED} or {@link OrderStatus#CANCELLED}
   * @param answer the reason the answering service gave, none for a time-out
   * @param reason why, in a few words, for readers of the topic
   */
  @MessageType("order.cancelled.v1")
  record OrderCancelled(
      UUID orderId,
      int version,
      Instant at,
      OrderStatus status,
      CancelCause cause,
      @Nullable String answer,
      String reason)
      implements OrderEvent {}

  /**
   * An answer that changed nothing came, and was recorded: a late one after the order ended (and
   * the compensation it asked for), or the confirmation of a compensation.
   */
  @MessageType("order.answer-recorded.v1")
  record OrderAnswerRecorded(UUID orderId, int version, Instant at, String detail)
      implements OrderEvent {}

  /**
   * An order placed before orders were stored as events: its state as its row held it when the
   * event store was introduced, the first event of its stream. Written once, by the database
   * migration; never published.
   */
  @MessageType("order.carried-over.v1")
  record OrderCarriedOver(
      UUID orderId,
      int version,
      Instant at,
      String customerId,
      List<PlacedLine> lines,
      String shipToCountry,
      BigDecimal weightKg,
      BigDecimal itemsTotal,
      BigDecimal shippingPrice,
      BigDecimal total,
      String currency,
      Instant placedAt,
      OrderStatus status,
      @Nullable String trackingNumber,
      @Nullable Instant deadline)
      implements OrderEvent {}
}
