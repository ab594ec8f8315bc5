package dev.asyncshop.order;

import static java.util.concurrent.TimeUnit.SECONDS;

import dev.asyncshop.messaging.Envelope;
import dev.asyncshop.messaging.HandleMessage;
import dev.asyncshop.order.StandInMessages.Authorize;
import dev.asyncshop.order.StandInMessages.Cancelled;
import dev.asyncshop.order.StandInMessages.Confirmed;
import dev.asyncshop.order.StandInMessages.Placed;
import dev.asyncshop.order.StandInMessages.ProductState;
import dev.asyncshop.order.StandInMessages.Quote;
import dev.asyncshop.order.StandInMessages.QuoteRequest;
import dev.asyncshop.order.StandInMessages.Refund;
import dev.asyncshop.order.StandInMessages.Release;
import dev.asyncshop.order.StandInMessages.Reserve;
import dev.asyncshop.order.StandInMessages.Schedule;
import dev.asyncshop.order.StandInMessages.Shipped;
import dev.asyncshop.order.StandInMessages.Tariff;
import dev.asyncshop.order.StandInMessages.ZoneRate;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * Inventory, payment and shipping as far as order-service sees them, over the real brokers: the
 * products and the tariff are published on their compacted topics, the quote answers its query, and
 * every command and order event order-service sends is recorded as it arrives. The tests play the
 * other services' events themselves.
 */
@TestConfiguration(proxyBeanMethods = false)
class StandIns {

  /** The catalogue as inventory publishes it: two products in EUR. */
  static final List<ProductState> PRODUCTS =
      List.of(
          new ProductState(
              "MUG", "Mug", new BigDecimal("12.50"), "EUR", new BigDecimal("0.400"), 100),
          new ProductState(
              "TEE", "T-shirt", new BigDecimal("19.99"), "EUR", new BigDecimal("0.200"), 100));

  /** The tariff as shipping publishes it: 4.90 in Germany, 14.90 elsewhere, plus 1.20 per kg. */
  static final Tariff TARIFF =
      new Tariff(
          "EUR",
          new BigDecimal("1.20"),
          new BigDecimal("20"),
          2,
          List.of(
              new ZoneRate("DOMESTIC", new BigDecimal("4.90"), 2, List.of("DE")),
              new ZoneRate("WORLD", new BigDecimal("14.90"), 7, List.of())));

  /** Shipping to this country is quoted only after the asker gave up, when released. */
  static final String SLOW_COUNTRY = "ZZ";

  /** A flat quoted shipping price, so totals are easy to check. */
  static final BigDecimal SHIPPING = new BigDecimal("4.90");

  /** One message a stand-in received. */
  record Received(String type, UUID orderId, Object message, Envelope envelope) {}

  static class Recorder {

    final List<Received> received = new CopyOnWriteArrayList<>();

    void add(UUID orderId, Object message, Envelope envelope) {
      received.add(new Received(envelope.type(), orderId, message, envelope));
    }

    List<Received> of(UUID orderId) {
      return received.stream().filter(r -> r.orderId().equals(orderId)).toList();
    }

    List<Received> of(UUID orderId, String type) {
      return of(orderId).stream().filter(r -> r.type().equals(type)).toList();
    }

    List<String> typesOf(UUID orderId) {
      return new ArrayList<>(of(orderId).stream().map(Received::type).toList());
    }
  }

  static class Queries {

    volatile CountDownLatch slowAnswer = new CountDownLatch(1);
    volatile CountDownLatch slowAsked = new CountDownLatch(1);

    @HandleMessage
    Quote quote(QuoteRequest request) throws InterruptedException {
      if (request.country().equals(SLOW_COUNTRY)) {
        slowAsked.countDown();
        // Held until the test has seen the caller give up.
        slowAnswer.await(15, SECONDS);
      }
      return new Quote(SHIPPING, "EUR", 2);
    }
  }

  static class Commands {

    private final Recorder recorder;

    Commands(Recorder recorder) {
      this.recorder = recorder;
    }

    @HandleMessage
    void on(Reserve command, Envelope envelope) {
      recorder.add(command.orderId(), command, envelope);
    }

    @HandleMessage
    void on(Release command, Envelope envelope) {
      recorder.add(command.orderId(), command, envelope);
    }

    @HandleMessage
    void on(Authorize command, Envelope envelope) {
      recorder.add(command.orderId(), command, envelope);
    }

    @HandleMessage
    void on(Refund command, Envelope envelope) {
      recorder.add(command.orderId(), command, envelope);
    }

    @HandleMessage
    void on(Schedule command, Envelope envelope) {
      recorder.add(command.orderId(), command, envelope);
    }
  }

  /** Reads {@code orders.events} as any other service would, in a consumer group of its own. */
  static class OrderEvents {

    static final String GROUP = "order-events-reader";

    private final Recorder recorder;

    OrderEvents(Recorder recorder) {
      this.recorder = recorder;
    }

    @HandleMessage(group = GROUP)
    void on(Placed event, Envelope envelope) {
      recorder.add(event.orderId(), event, envelope);
    }

    @HandleMessage(group = GROUP)
    void on(Confirmed event, Envelope envelope) {
      recorder.add(event.orderId(), event, envelope);
    }

    @HandleMessage(group = GROUP)
    void on(Cancelled event, Envelope envelope) {
      recorder.add(event.orderId(), event, envelope);
    }

    @HandleMessage(group = GROUP)
    void on(Shipped event, Envelope envelope) {
      recorder.add(event.orderId(), event, envelope);
    }
  }

  @Bean
  Recorder recorder() {
    return new Recorder();
  }

  @Bean
  Queries queries() {
    return new Queries();
  }

  @Bean
  Commands commands(Recorder recorder) {
    return new Commands(recorder);
  }

  @Bean
  OrderEvents orderEvents(Recorder recorder) {
    return new OrderEvents(recorder);
  }
}
