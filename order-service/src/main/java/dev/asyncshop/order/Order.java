package dev.asyncshop.order;

import static dev.asyncshop.order.OrderStatus.CANCELLED;
import static dev.asyncshop.order.OrderStatus.CONFIRMED;
import static dev.asyncshop.order.OrderStatus.INVENTORY_RESERVED;
import static dev.asyncshop.order.OrderStatus.PAYMENT_AUTHORIZED;
import static dev.asyncshop.order.OrderStatus.PENDING;
import static dev.asyncshop.order.OrderStatus.REJECTED;
import static dev.asyncshop.order.OrderStatus.SHIPPED;

import dev.asyncshop.order.OrderEvent.CancelCause;
import dev.asyncshop.order.OrderEvent.OrderAnswerRecorded;
import dev.asyncshop.order.OrderEvent.OrderCancelled;
import dev.asyncshop.order.OrderEvent.OrderCarriedOver;
import dev.asyncshop.order.OrderEvent.OrderConfirmed;
import dev.asyncshop.order.OrderEvent.OrderPaid;
import dev.asyncshop.order.OrderEvent.OrderPlaced;
import dev.asyncshop.order.OrderEvent.OrderReserved;
import dev.asyncshop.order.OrderEvent.OrderShipped;
import dev.asyncshop.order.OrderEvent.PlacedLine;
import dev.asyncshop.order.OrderMessages.Address;
import dev.asyncshop.order.OrderMessages.AuthorizePayment;
import dev.asyncshop.order.OrderMessages.Line;
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
 * An order and every rule of its saga, as an event-sourced aggregate. Each intent method applies
 * one answer (or a timeout) to the order as it is now and, when it fits, raises the {@link
 * OrderEvent}s that say what happened and returns the commands the step sends; an answer that does
 * not fit the order's status raises nothing and sends nothing. The order's state is only ever
 * changed by applying an event, so an order rebuilt from its stream ({@link #replay}) is exactly
 * the order that raised it. The caller appends the new events, stores the order's row and writes
 * the commands to the outbox in one transaction.
 *
 * <p>The steps that start a wait or end one for want of an answer take the {@link Moment} on both
 * clocks: the timeline shows wall time, the deadline is set and checked on saga time, and the
 * events carry the deadline they set, since saga time cannot be read again later. The others only
 * record, on the wall clock.
 *
 * <p>Answers that arrive after the order ended are recorded, and undo what they would otherwise
 * leave behind: a late reservation is released, a late authorization refunded.
 */
public final class Order {

  /** A new order and the commands that start its saga. */
  public record Placed(Order order, List<SagaCommand> commands) {}

  /**
   * What is stored of an order in its row, apart from its timeline: the projection of its events,
   * and the card token beside them.
   *
   * @param cardToken kept only until the payment step is over
   * @param deadline when the step the order waits for times out, on saga time; none once it ended
   * @param version the version of the last event applied
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
      @Nullable Instant deadline,
      int version) {}

  /**
   * What of an order is personal, and so kept beside its events rather than in them.
   *
   * @param cardToken kept only until the payment step is over
   */
  public record PersonalData(ShippingAddress address, @Nullable String cardToken) {}

  private final UUID id;
  private String customerId = "";
  private List<OrderLine> lines = List.of();
  private ShippingAddress address;
  private BigDecimal weightKg = BigDecimal.ZERO;
  private Totals totals = new Totals(BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, "");
  private Instant placedAt = Instant.EPOCH;
  private @Nullable OrderStatus status;
  private @Nullable String cardToken;
  private @Nullable String trackingNumber;
  private @Nullable Instant deadline;
  private int version;
  private final List<OrderEvent> raised = new ArrayList<>();
  private final List<TimelineEntry> timeline = new ArrayList<>();
  private int replayedEntries;

  private Order(UUID id) {
    this.id = id;
    this.address = new ShippingAddress("", "", "", "", "");
  }

  /**
   * The order its stored events make, to apply the next step to.
   *
   * @param events the order's whole stream, in version order
   * @param personal what is kept beside the stream
   * @throws IllegalStateException if the stream is empty, of another order, or has a gap
   */
  public static Order replay(UUID id, List<? extends OrderEvent> events, PersonalData personal) {
    if (events.isEmpty()) {
      throw new IllegalStateException("Order " + id + " has no events");
    }
    Order order = new Order(id);
    order.address = personal.address();
    order.cardToken = personal.cardToken();
    events.forEach(order::apply);
    order.replayedEntries = order.timeline.size();
    return order;
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
   * Places an order whose prices came from somewhere worth recording with it.
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
    Order order = new Order(id);
    order.raise(
        new OrderPlaced(
            id,
            1,
            now.wall(),
            customerId,
            lines.stream()
                .map(
                    l ->
                        new PlacedLine(
                            l.sku(), l.name(), l.quantity(), l.unitPrice(), l.weightKg()))
                .toList(),
            address.country(),
            weightOf(lines),
            items.setScale(2, RoundingMode.HALF_UP),
            shipping,
            items.add(shipping).setScale(2, RoundingMode.HALF_UP),
            currency,
            pricingNote,
            now.saga().plus(stepTimeout)));
    order.address = address;
    order.cardToken = cardToken;
    List<Line> reserve = lines.stream().map(l -> new Line(l.sku(), l.quantity())).toList();
    return new Placed(order, List.of(command(new ReserveInventory(id, reserve))));
  }

  /** The parcel's weight: each product's weight times its quantity. */
  public static BigDecimal weightOf(List<OrderLine> lines) {
    return lines.stream().map(OrderLine::totalWeightKg).reduce(BigDecimal.ZERO, BigDecimal::add);
  }

  /** Inventory reserved every line: ask payment to authorize the total. */
  public List<SagaCommand> markInventoryReserved(Moment now, Duration stepTimeout) {
    if (status == PENDING) {
      String token = Objects.requireNonNull(cardToken, "card token of a pending order");
      raise(new OrderReserved(id, next(), now.wall(), now.saga().plus(stepTimeout)));
      return List.of(
          command(new AuthorizePayment(id, customerId, totals.total(), totals.currency(), token)));
    }
    if (status == CANCELLED || status == REJECTED) {
      note(
          now.wall(),
          "Inventory reserved after the order was " + lower(status()) + "; release requested");
      return List.of(
          command(
              new ReleaseInventory(id, "order " + lower(status()) + " before the reservation")));
    }
    return List.of();
  }

  /** Inventory cannot reserve the lines: the order ends {@code REJECTED}, nothing is charged. */
  public List<SagaCommand> markInventoryRejected(String reason, Instant now) {
    if (status == PENDING) {
      cancel(
          REJECTED, CancelCause.INVENTORY_REJECTED, reason, now, "inventory rejected: " + reason);
      return List.of();
    }
    if (status == CANCELLED) {
      note(now, "Inventory rejected the reservation after the order was cancelled: " + reason);
    }
    return List.of();
  }

  /** Inventory released the order's stock, as compensation asked; only recorded. */
  public List<SagaCommand> markInventoryReleased(Instant now) {
    if (status == CANCELLED || status == REJECTED) {
      note(now, "Inventory released");
    }
    return List.of();
  }

  /**
   * Payment authorized the total: the order is confirmed at once and shipping asked to schedule the
   * shipment. Authorized after the order ended, the charge is refunded.
   */
  public List<SagaCommand> markPaymentAuthorized(
      String paymentId, BigDecimal amount, String currency, Moment now, Duration stepTimeout) {
    if (status == INVENTORY_RESERVED) {
      raise(new OrderPaid(id, next(), now.wall(), paymentId, amount, currency));
      raise(new OrderConfirmed(id, next(), now.wall()));
      return List.of(command(new ScheduleShipment(id, Address.of(address), weightKg)));
    }
    if (status == CANCELLED || status == REJECTED) {
      note(
          now.wall(),
          "Payment %s authorized (%s) after the order was %s; refund requested"
              .formatted(paymentId, charge(amount, currency), lower(status())));
      return List.of(
          command(
              new RefundPayment(id, "order " + lower(status()) + " before the payment arrived")));
    }
    return List.of();
  }

  /** Payment declined: the order is cancelled and its reserved stock released. */
  public List<SagaCommand> markPaymentDeclined(String reason, Instant now) {
    if (status == INVENTORY_RESERVED) {
      cancel(CANCELLED, CancelCause.PAYMENT_DECLINED, reason, now, "payment declined: " + reason);
      return List.of(command(new ReleaseInventory(id, "payment declined")));
    }
    if (status == CANCELLED || status == REJECTED) {
      note(now, "Payment declined after the order was " + lower(status()) + ": " + reason);
    }
    return List.of();
  }

  /** Payment refunded a charge, as compensation asked; only recorded. */
  public List<SagaCommand> markPaymentRefunded(
      String paymentId, BigDecimal amount, String currency, Instant now) {
    if (status == CANCELLED || status == REJECTED) {
      note(now, "Payment %s refunded (%s)".formatted(paymentId, charge(amount, currency)));
    }
    return List.of();
  }

  /** Shipping scheduled the shipment: the order is {@code SHIPPED}, with its tracking number. */
  public List<SagaCommand> markShipmentScheduled(
      String shipmentId,
      String trackingNumber,
      String carrier,
      @Nullable LocalDate estimatedDelivery,
      Instant now) {
    if (status == CONFIRMED) {
      raise(
          new OrderShipped(
              id, next(), now, shipmentId, trackingNumber, carrier, estimatedDelivery));
      return List.of();
    }
    if (status == CANCELLED || status == REJECTED) {
      note(
          now,
          "Shipment %s (tracking %s) scheduled after the order was %s"
              .formatted(shipmentId, trackingNumber, lower(status())));
    }
    return List.of();
  }

  /**
   * The step the order waits for had no answer by its deadline, on saga time: compensate what the
   * earlier steps did and cancel. Inventory is told to release even when it may never have
   * reserved, so a reservation still on its way is undone when it arrives.
   */
  public List<SagaCommand> timeOut(Moment now) {
    if (!status().isWaiting() || deadline == null || now.saga().isBefore(deadline)) {
      return List.of();
    }
    if (status == PENDING) {
      cancel(
          CANCELLED,
          CancelCause.INVENTORY_TIMED_OUT,
          null,
          now.wall(),
          "timed out waiting for inventory");
      return List.of(command(new ReleaseInventory(id, "timed out waiting for inventory")));
    }
    cancel(
        CANCELLED,
        CancelCause.PAYMENT_TIMED_OUT,
        null,
        now.wall(),
        "timed out waiting for payment");
    return List.of(command(new ReleaseInventory(id, "timed out waiting for payment")));
  }

  private void cancel(
      OrderStatus end, CancelCause cause, @Nullable String answer, Instant now, String reason) {
    raise(new OrderCancelled(id, next(), now, end, cause, answer, reason));
  }

  /** A late answer: recorded in the timeline, the status stays. */
  private void note(Instant now, String detail) {
    raise(new OrderAnswerRecorded(id, next(), now, detail));
  }

  private int next() {
    return version + 1;
  }

  private void raise(OrderEvent event) {
    apply(event);
    raised.add(event);
  }

  /** The only place the order's state changes: for a new event and for a stored one alike. */
  private void apply(OrderEvent event) {
    if (!event.orderId().equals(id) || event.version() != version + 1) {
      throw new IllegalStateException(
          "Order %s cannot apply %s: expected version %d of its own stream"
              .formatted(id, event, version + 1));
    }
    if (event instanceof OrderPlaced placed) {
      customerId = placed.customerId();
      lines = placed.lines().stream().map(Order::line).toList();
      weightKg = placed.weightKg();
      totals =
          new Totals(
              placed.itemsTotal(), placed.shippingPrice(), placed.total(), placed.currency());
      placedAt = placed.at();
      status = PENDING;
      deadline = placed.deadline();
    } else if (event instanceof OrderCarriedOver carried) {
      customerId = carried.customerId();
      lines = carried.lines().stream().map(Order::line).toList();
      weightKg = carried.weightKg();
      totals =
          new Totals(
              carried.itemsTotal(), carried.shippingPrice(), carried.total(), carried.currency());
      placedAt = carried.placedAt();
      status = carried.status();
      trackingNumber = carried.trackingNumber();
      deadline = carried.deadline();
      if (status().isEnd()) {
        cardToken = null;
      }
    } else if (event instanceof OrderReserved reserved) {
      status = INVENTORY_RESERVED;
      deadline = reserved.deadline();
    } else if (event instanceof OrderPaid) {
      status = PAYMENT_AUTHORIZED;
      deadline = null;
      cardToken = null;
    } else if (event instanceof OrderConfirmed) {
      status = CONFIRMED;
    } else if (event instanceof OrderShipped shipped) {
      status = SHIPPED;
      trackingNumber = shipped.trackingNumber();
    } else if (event instanceof OrderCancelled cancelled) {
      status = cancelled.status();
      deadline = null;
      cardToken = null;
    }
    version = event.version();
    TimelineEntry entry = timelineEntry(event, status());
    if (entry != null) {
      timeline.add(entry);
    }
  }

  /** What the order's timeline shows of an event; nothing for a carried-over order's state. */
  private static @Nullable TimelineEntry timelineEntry(OrderEvent event, OrderStatus after) {
    String detail;
    if (event instanceof OrderPlaced placed) {
      detail =
          "Order placed: %d line(s), total %s %s; reservation requested%s"
              .formatted(
                  placed.lines().size(),
                  placed.total().toPlainString(),
                  placed.currency(),
                  placed.pricingNote() == null ? "" : "; " + placed.pricingNote());
    } else if (event instanceof OrderReserved) {
      detail = "Inventory reserved; payment authorization requested";
    } else if (event instanceof OrderPaid paid) {
      detail =
          "Payment %s authorized (%s)"
              .formatted(paid.paymentId(), charge(paid.amount(), paid.currency()));
    } else if (event instanceof OrderConfirmed) {
      detail = "Order confirmed; shipment requested";
    } else if (event instanceof OrderShipped shipped) {
      detail =
          "Shipment %s scheduled with %s, tracking %s%s"
              .formatted(
                  shipped.shipmentId(),
                  shipped.carrier(),
                  shipped.trackingNumber(),
                  shipped.estimatedDelivery() == null
                      ? ""
                      : ", estimated delivery " + shipped.estimatedDelivery());
    } else if (event instanceof OrderCancelled cancelled) {
      detail =
          switch (cancelled.cause()) {
            case INVENTORY_REJECTED -> "Inventory rejected the reservation: " + cancelled.answer();
            case PAYMENT_DECLINED ->
                "Payment declined: " + cancelled.answer() + "; inventory release requested";
            case INVENTORY_TIMED_OUT ->
                "No answer from inventory in time; inventory release requested";
            case PAYMENT_TIMED_OUT -> "No answer from payment in time; inventory release requested";
          };
    } else if (event instanceof OrderAnswerRecorded recorded) {
      detail = recorded.detail();
    } else {
      return null;
    }
    return new TimelineEntry(after, event.at(), detail);
  }

  private static OrderLine line(PlacedLine line) {
    return new OrderLine(
        line.sku(), line.name(), line.quantity(), line.unitPrice(), line.weightKg());
  }

  private static String charge(BigDecimal amount, String currency) {
    return amount.toPlainString() + " " + currency;
  }

  private static String lower(OrderStatus status) {
    return status.name().toLowerCase();
  }

  private static SagaCommand command(Object message) {
    return new SagaCommand(message);
  }

  public UUID id() {
    return id;
  }

  public OrderStatus status() {
    return Objects.requireNonNull(status, "status of an order with no events");
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

  /** The version of the last event applied, raised or replayed. */
  public int version() {
    return version;
  }

  /** The version the stored stream had before the new events: what an append expects. */
  public int storedVersion() {
    return version - raised.size();
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
        status(),
        cardToken,
        trackingNumber,
        deadline,
        version);
  }

  /** What of the order is kept beside its events. */
  public PersonalData personalData() {
    return new PersonalData(address, cardToken);
  }

  /** The events raised since the order was placed or replayed, oldest first: what to append. */
  public List<OrderEvent> newEvents() {
    return List.copyOf(raised);
  }

  /** The whole timeline, replayed and new, oldest first. */
  public List<TimelineEntry> timeline() {
    return List.copyOf(timeline);
  }

  /** Timeline entries of the new events, oldest first. */
  public List<TimelineEntry> newTimelineEntries() {
    return List.copyOf(timeline.subList(replayedEntries, timeline.size()));
  }

  /** The new entries that changed the status: what is broadcast once they are stored. */
  public List<TimelineEntry> statusChanges() {
    List<TimelineEntry> changes = new ArrayList<>();
    int entry = replayedEntries;
    for (OrderEvent event : raised) {
      if (!(event instanceof OrderAnswerRecorded)) {
        changes.add(timeline.get(entry));
      }
      entry++;
    }
    return changes;
  }

  /** The last step changed nothing: the answer did not fit the order's status. */
  public boolean isUnchanged() {
    return raised.isEmpty();
  }
}
