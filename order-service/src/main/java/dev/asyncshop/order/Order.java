package dev.asyncshop.order;

import static dev.asyncshop.order.OrderStatus.CANCELLED;
import static dev.asyncshop.order.OrderStatus.CONFIRMED;
import static dev.asyncshop.order.OrderStatus.INVENTORY_RESERVED;
import static dev.asyncshop.order.OrderStatus.PAYMENT_AUTHORIZED;
import static dev.asyncshop.order.OrderStatus.PENDING;
import static dev.asyncshop.order.OrderStatus.REJECTED;
import static dev.asyncshop.order.OrderStatus.SHIPPED;

import dev.asyncshop.order.OrderMessages.Address;
import dev.asyncshop.order.OrderMessages.AuthorizePayment;
import dev.asyncshop.order.OrderMessages.Line;
import dev.asyncshop.order.OrderMessages.OrderCancelled;
import dev.asyncshop.order.OrderMessages.OrderConfirmed;
import dev.asyncshop.order.OrderMessages.OrderPlaced;
import dev.asyncshop.order.OrderMessages.OrderShipped;
import dev.asyncshop.order.OrderMessages.RefundPayment;
import dev.asyncshop.order.OrderMessages.ReleaseInventory;
import dev.asyncshop.order.OrderMessages.ReserveInventory;
import dev.asyncshop.order.OrderMessages.ScheduleShipment;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * An order and every rule of its saga. Each intent method applies one answer (or a timeout) to the
 * order as it is now, records what happened in the timeline, and returns the messages the step
 * sends; an answer that does not fit the order's status changes nothing and sends nothing. The
 * caller stores the order and writes the messages to the outbox in one transaction.
 *
 * <p>The steps that start a wait or end one for want of an answer take the {@link Moment} on both
 * clocks: the timeline shows wall time, the deadline is set and checked on saga time. The others
 * only record, on the wall clock.
 *
 * <p>Answers that arrive after the order ended are recorded, and undo what they would otherwise
 * leave behind: a late reservation is released, a late authorization refunded.
 */
public final class Order {

  /** A new order and the messages that start its saga. */
  public record Placed(Order order, List<Outgoing> messages) {}

  /**
   * What is stored of an order, apart from its timeline.
   *
   * @param cardToken kept only until the payment step is over
   * @param deadline when the step the order waits for times out, on saga time; none once it ended
   */
  public record Snapshot(
      UUID id,
      String customerId,
      List<OrderLine> lines,
      ShippingAddress address,
      BigDecimal weightKg,
      Totals totals,
      Instant placedAt,
      OrderStatus status,
      @Nullable String cardToken,
      @Nullable String trackingNumber,
      @Nullable Instant deadline) {}

  private final UUID id;
  private final String customerId;
  private final List<OrderLine> lines;
  private final ShippingAddress address;
  private final BigDecimal weightKg;
  private final Totals totals;
  private final Instant placedAt;
  private OrderStatus status;
  private @Nullable String cardToken;
  private @Nullable String trackingNumber;
  private @Nullable Instant deadline;
  private final List<TimelineEntry> recorded = new ArrayList<>();
  private final List<TimelineEntry> statusChanges = new ArrayList<>();

  private Order(Snapshot snapshot) {
    this.id = snapshot.id();
    this.customerId = snapshot.customerId();
    this.lines = List.copyOf(snapshot.lines());
    this.address = snapshot.address();
    this.weightKg = snapshot.weightKg();
    this.totals = snapshot.totals();
    this.placedAt = snapshot.placedAt();
    this.status = snapshot.status();
    this.cardToken = snapshot.cardToken();
    this.trackingNumber = snapshot.trackingNumber();
    this.deadline = snapshot.deadline();
  }

  /** A stored order, to apply the next step to. */
  public static Order restore(Snapshot snapshot) {
    return new Order(snapshot);
  }

  /**
   * Places an order: {@code PENDING}, waiting for inventory to reserve its lines.
   *
   * @param lines priced and weighed by the catalogue, in the currency of the shipping price
   */
  public static Placed place(
      UUID id,
      String customerId,
      List<OrderLine> lines,
      ShippingAddress address,
      String cardToken,
      BigDecimal shippingPrice,
      String currency,
      Moment now,
      Duration stepTimeout) {
    return place(
        id, customerId, lines, address, cardToken, shippingPrice, currency, now, stepTimeout, null);
  }

  /**
   * Places an order whose prices came from somewhere worth recording in its first timeline entry.
   *
   * @param pricingNote how a price was set when not as usual, such as shipping priced from the
   *     published tariff and why; none for the usual way
   */
  public static Placed place(
      UUID id,
      String customerId,
      List<OrderLine> lines,
      ShippingAddress address,
      String cardToken,
      BigDecimal shippingPrice,
      String currency,
      Moment now,
      Duration stepTimeout,
      @Nullable String pricingNote) {
    if (lines.isEmpty()) {
      throw new IllegalArgumentException("An order has at least one line");
    }
    BigDecimal items =
        lines.stream().map(OrderLine::total).reduce(BigDecimal.ZERO, BigDecimal::add);
    BigDecimal shipping = shippingPrice.setScale(2, RoundingMode.HALF_UP);
    Totals totals =
        new Totals(
            items.setScale(2, RoundingMode.HALF_UP),
            shipping,
            items.add(shipping).setScale(2, RoundingMode.HALF_UP),
            currency);
    Order order =
        new Order(
            new Snapshot(
                id,
                customerId,
                lines,
                address,
                weightOf(lines),
                totals,
                now.wall(),
                PENDING,
                cardToken,
                null,
                null));
    order.moveTo(
        PENDING,
        now,
        "Order placed: %d line(s), total %s %s; reservation requested%s"
            .formatted(
                lines.size(),
                totals.total().toPlainString(),
                currency,
                pricingNote == null ? "" : "; " + pricingNote),
        stepTimeout);
    List<Line> reserve = lines.stream().map(l -> new Line(l.sku(), l.quantity())).toList();
    return new Placed(
        order,
        List.of(
            command(new ReserveInventory(id, reserve)),
            event(new OrderPlaced(id, customerId, totals.total(), currency))));
  }

  /** The parcel's weight: each product's weight times its quantity. */
  public static BigDecimal weightOf(List<OrderLine> lines) {
    return lines.stream().map(OrderLine::totalWeightKg).reduce(BigDecimal.ZERO, BigDecimal::add);
  }

  /** Inventory reserved every line: ask payment to authorize the total. */
  public List<Outgoing> markInventoryReserved(Moment now, Duration stepTimeout) {
    if (status == PENDING) {
      String token = Objects.requireNonNull(cardToken, "card token of a pending order");
      moveTo(
          INVENTORY_RESERVED,
          now,
          "Inventory reserved; payment authorization requested",
          stepTimeout);
      return List.of(
          command(new AuthorizePayment(id, customerId, totals.total(), totals.currency(), token)));
    }
    if (status == CANCELLED || status == REJECTED) {
      note(
          now.wall(),
          "Inventory reserved after the order was " + lower(status) + "; release requested");
      return List.of(
          command(new ReleaseInventory(id, "order " + lower(status) + " before the reservation")));
    }
    return List.of();
  }

  /** Inventory cannot reserve the lines: the order ends {@code REJECTED}, nothing is charged. */
  public List<Outgoing> markInventoryRejected(String reason, Instant now) {
    if (status == PENDING) {
      end(REJECTED, now, "Inventory rejected the reservation: " + reason);
      return List.of(event(new OrderCancelled(id, REJECTED, "inventory rejected: " + reason)));
    }
    if (status == CANCELLED) {
      note(now, "Inventory rejected the reservation after the order was cancelled: " + reason);
    }
    return List.of();
  }

  /** Inventory released the order's stock, as compensation asked; only recorded. */
  public List<Outgoing> markInventoryReleased(Instant now) {
    if (status == CANCELLED || status == REJECTED) {
      note(now, "Inventory released");
    }
    return List.of();
  }

  /**
   * Payment authorized the total: the order is confirmed at once and shipping asked to schedule the
   * shipment. Authorized after the order ended, the charge is refunded.
   */
  public List<Outgoing> markPaymentAuthorized(
      String paymentId, BigDecimal amount, String currency, Moment now, Duration stepTimeout) {
    String charge = amount.toPlainString() + " " + currency;
    if (status == INVENTORY_RESERVED) {
      cardToken = null;
      moveTo(
          PAYMENT_AUTHORIZED,
          now,
          "Payment %s authorized (%s)".formatted(paymentId, charge),
          stepTimeout);
      moveTo(CONFIRMED, now, "Order confirmed; shipment requested", stepTimeout);
      return List.of(
          event(new OrderConfirmed(id)),
          command(new ScheduleShipment(id, Address.of(address), weightKg)));
    }
    if (status == CANCELLED || status == REJECTED) {
      note(
          now.wall(),
          "Payment %s authorized (%s) after the order was %s; refund requested"
              .formatted(paymentId, charge, lower(status)));
      return List.of(
          command(new RefundPayment(id, "order " + lower(status) + " before the payment arrived")));
    }
    return List.of();
  }

  /** Payment declined: the order is cancelled and its reserved stock released. */
  public List<Outgoing> markPaymentDeclined(String reason, Instant now) {
    if (status == INVENTORY_RESERVED) {
      end(CANCELLED, now, "Payment declined: " + reason + "; inventory release requested");
      return List.of(
          command(new ReleaseInventory(id, "payment declined")),
          event(new OrderCancelled(id, CANCELLED, "payment declined: " + reason)));
    }
    if (status == CANCELLED || status == REJECTED) {
      note(now, "Payment declined after the order was " + lower(status) + ": " + reason);
    }
    return List.of();
  }

  /** Payment refunded a charge, as compensation asked; only recorded. */
  public List<Outgoing> markPaymentRefunded(
      String paymentId, BigDecimal amount, String currency, Instant now) {
    if (status == CANCELLED || status == REJECTED) {
      note(
          now,
          "Payment %s refunded (%s %s)".formatted(paymentId, amount.toPlainString(), currency));
    }
    return List.of();
  }

  /** Shipping scheduled the shipment: the order is {@code SHIPPED}, with its tracking number. */
  public List<Outgoing> markShipmentScheduled(
      String shipmentId,
      String trackingNumber,
      String carrier,
      @Nullable LocalDate estimatedDelivery,
      Instant now) {
    if (status == CONFIRMED) {
      this.trackingNumber = trackingNumber;
      end(
          SHIPPED,
          now,
          "Shipment %s scheduled with %s, tracking %s%s"
              .formatted(
                  shipmentId,
                  carrier,
                  trackingNumber,
                  estimatedDelivery == null ? "" : ", estimated delivery " + estimatedDelivery));
      return List.of(event(new OrderShipped(id, trackingNumber)));
    }
    if (status == CANCELLED || status == REJECTED) {
      note(
          now,
          "Shipment %s (tracking %s) scheduled after the order was %s"
              .formatted(shipmentId, trackingNumber, lower(status)));
    }
    return List.of();
  }

  /**
   * The step the order waits for had no answer by its deadline, on saga time: compensate what the
   * earlier steps did and cancel. Inventory is told to release even when it may never have
   * reserved, so a reservation still on its way is undone when it arrives.
   */
  public List<Outgoing> timeOut(Moment now) {
    if (!status.isWaiting() || deadline == null || now.saga().isBefore(deadline)) {
      return List.of();
    }
    return switch (status) {
      case PENDING -> {
        end(CANCELLED, now.wall(), "No answer from inventory in time; inventory release requested");
        yield List.of(
            command(new ReleaseInventory(id, "timed out waiting for inventory")),
            event(new OrderCancelled(id, CANCELLED, "timed out waiting for inventory")));
      }
      case INVENTORY_RESERVED -> {
        cardToken = null;
        end(CANCELLED, now.wall(), "No answer from payment in time; inventory release requested");
        yield List.of(
            command(new ReleaseInventory(id, "timed out waiting for payment")),
            event(new OrderCancelled(id, CANCELLED, "timed out waiting for payment")));
      }
      default -> List.of();
    };
  }

  /** A waiting status gets its deadline a step timeout from now on saga time. */
  private void moveTo(OrderStatus next, Moment now, String detail, Duration stepTimeout) {
    status = next;
    deadline = next.isWaiting() ? now.saga().plus(stepTimeout) : null;
    record(new TimelineEntry(next, now.wall(), detail), true);
  }

  private void end(OrderStatus next, Instant now, String detail) {
    status = next;
    deadline = null;
    cardToken = null;
    record(new TimelineEntry(next, now, detail), true);
  }

  /** A late answer: recorded in the timeline, the status stays. */
  private void note(Instant now, String detail) {
    record(new TimelineEntry(status, now, detail), false);
  }

  private void record(TimelineEntry entry, boolean statusChange) {
    recorded.add(entry);
    if (statusChange) {
      statusChanges.add(entry);
    }
  }

  private static String lower(OrderStatus status) {
    return status.name().toLowerCase();
  }

  private static Outgoing command(Object message) {
    return new Outgoing.Command(message);
  }

  private static Outgoing event(Object message) {
    return new Outgoing.Event(message);
  }

  public UUID id() {
    return id;
  }

  public OrderStatus status() {
    return status;
  }

  public @Nullable String trackingNumber() {
    return trackingNumber;
  }

  public @Nullable Instant deadline() {
    return deadline;
  }

  public Totals totals() {
    return totals;
  }

  public Snapshot snapshot() {
    return new Snapshot(
        id,
        customerId,
        lines,
        address,
        weightKg,
        totals,
        placedAt,
        status,
        cardToken,
        trackingNumber,
        deadline);
  }

  /** Timeline entries recorded since the order was placed or restored, oldest first. */
  public List<TimelineEntry> newTimelineEntries() {
    return List.copyOf(recorded);
  }

  /** The new entries that changed the status: what is broadcast once they are stored. */
  public List<TimelineEntry> statusChanges() {
    return List.copyOf(statusChanges);
  }

  /** The last step changed nothing: the answer did not fit the order's status. */
  public boolean isUnchanged() {
    return recorded.isEmpty();
  }
}
