package dev.asyncshop.order.placement;

import dev.asyncshop.messaging.MessageGateway;
import dev.asyncshop.messaging.MessageOptions;
import dev.asyncshop.messaging.MessagePublishException;
import dev.asyncshop.messaging.QueryFailedException;
import dev.asyncshop.messaging.QueryTimeoutException;
import dev.asyncshop.order.Moment;
import dev.asyncshop.order.Order;
import dev.asyncshop.order.OrderLine;
import dev.asyncshop.order.Orders;
import dev.asyncshop.order.catalogue.LocalCatalogue;
import dev.asyncshop.order.catalogue.LocalTariff;
import dev.asyncshop.order.catalogue.Product;
import dev.asyncshop.order.placement.PlacementQueries.ShippingQuote;
import dev.asyncshop.order.placement.PlacementQueries.ShippingQuoteQuery;
import dev.asyncshop.order.saga.SagaClock;
import dev.asyncshop.order.saga.SagaSettings;
import dev.asyncshop.order.tracking.OrderQueries;
import io.micrometer.context.ContextSnapshot;
import io.micrometer.context.ContextSnapshotFactory;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Semaphore;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Places an order: prices and weighs its lines from the local catalogue, asks shipping for a quote,
 * then stores the {@code PENDING} order and writes the messages that start its saga, in one
 * transaction. Nothing is stored unless every SKU is known and shipping is priced. The outcome is
 * the order as clients see it, read once it is stored.
 *
 * <p>The catalogue is this instance's own table of what inventory publishes, so placing an order
 * does not need inventory to be up; availability is not checked here, the reservation decides it.
 * Before the table has caught up with its topic, placements are refused with a retry hint. When the
 * live quote cannot be had (no answer in time, RabbitMQ or shipping down, its breaker open),
 * shipping is priced from the tariff shipping publishes, and the order's first timeline entry says
 * so and why; only when neither can be had is the order refused.
 *
 * <p>The answer is awaited without holding a request thread; the transaction runs on a small pool
 * of its own, never on the broker client's thread that completed the answer.
 */
@Service
public class OrderPlacement implements DisposableBean {

  private static final Logger log = LoggerFactory.getLogger(OrderPlacement.class);

  private final MessageGateway gateway;
  private final LocalCatalogue catalogue;
  private final LocalTariff tariff;
  private final Orders orders;
  private final OrderQueries queries;
  private final IdempotencyKeys keys;
  private final TransactionTemplate transactions;
  private final JsonMapper json;
  private final Clock clock;
  private final SagaClock sagaClock;
  private final SagaSettings settings;
  private final PlacementSettings limits;
  private final Semaphore inFlight;
  private final ThreadPoolTaskExecutor storing;

  OrderPlacement(
      MessageGateway gateway,
      LocalCatalogue catalogue,
      LocalTariff tariff,
      Orders orders,
      OrderQueries queries,
      IdempotencyKeys keys,
      TransactionTemplate transactions,
      JsonMapper json,
      Clock clock,
      SagaClock sagaClock,
      SagaSettings settings,
      PlacementSettings limits) {
    this.gateway = gateway;
    this.catalogue = catalogue;
    this.tariff = tariff;
    this.orders = orders;
    this.queries = queries;
    this.keys = keys;
    this.transactions = transactions;
    this.json = json;
    this.clock = clock;
    this.sagaClock = sagaClock;
    this.settings = settings;
    this.limits = limits;
    this.inFlight = new Semaphore(limits.maxInFlight());
    this.storing = new ThreadPoolTaskExecutor();
    storing.setCorePoolSize(4);
    storing.setMaxPoolSize(4);
    storing.setThreadNamePrefix("order-placement-");
    storing.initialize();
  }

  /**
   * Places the order, or finds the one placed earlier with the same idempotency key.
   *
   * @return completes exceptionally with {@link UnknownSkusException}, {@link
   *     IdempotencyKeyReusedException}, {@link PlacementsBusyException} when this instance is at
   *     its limit, {@link CatalogueNotReadyException} before the local catalogue has caught up, or
   *     {@link ShippingUnpricedException} when neither the quote nor the tariff can price shipping
   */
  public CompletableFuture<Placement> place(PlaceOrder request, @Nullable String idempotencyKey) {
    String requestHash = hash(request);
    if (idempotencyKey != null) {
      Optional<UUID> earlier = keys.find(idempotencyKey, requestHash);
      if (earlier.isPresent()) {
        return CompletableFuture.completedFuture(
            new Placement(queries.require(earlier.get()), true));
      }
    }
    if (!catalogue.caughtUp()) {
      return CompletableFuture.failedFuture(
          new CatalogueNotReadyException(limits.retryAfterSeconds()));
    }
    if (!inFlight.tryAcquire()) {
      return CompletableFuture.failedFuture(
          new PlacementsBusyException(limits.maxInFlight(), limits.retryAfterSeconds()));
    }
    CompletableFuture<Stored> stored;
    try {
      stored =
          placeNew(request, idempotencyKey, requestHash)
              .whenComplete((placed, failure) -> inFlight.release());
    } catch (RuntimeException | Error e) {
      inFlight.release();
      throw e;
    }
    // Read after the place is given back: the placement's work is done once it is stored.
    return stored.thenApply(
        placed -> new Placement(queries.require(placed.orderId()), placed.replayed()));
  }

  /** An order stored, or found stored earlier with the same idempotency key. */
  private record Stored(UUID orderId, boolean replayed) {}

  private CompletableFuture<Stored> placeNew(
      PlaceOrder request, @Nullable String idempotencyKey, String requestHash) {
    UUID orderId = UUID.randomUUID();
    MessageOptions options =
        MessageOptions.about(orderId.toString()).correlatedWith(orderId.toString());
    Catalogued catalogued;
    try {
      catalogued = price(request);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    ShippingQuoteQuery quote =
        new ShippingQuoteQuery(
            request.shippingAddress().country(), Order.weightOf(catalogued.lines()));
    // The answer completes on the broker's threads: the steps after it run in the request's
    // context (its trace above all), so the outbox rows join its trace.
    ContextSnapshot requestContext = ContextSnapshotFactory.builder().build().captureAll();
    CompletableFuture<ShippingQuote> live;
    try {
      live = gateway.ask(quote, ShippingQuote.class, options);
    } catch (RuntimeException e) {
      // Refused before it left (RabbitMQ unreachable, say): a failed quote like any other.
      live = CompletableFuture.failedFuture(e);
    }
    return live.handle(
            (answer, failure) ->
                failure == null
                    ? quoted(catalogued, answer, null)
                    : fromTariff(catalogued, quote, failure))
        .thenApplyAsync(
            priced -> store(orderId, request, priced, idempotencyKey, requestHash),
            requestContext.wrapExecutor(storing));
  }

  private record Catalogued(List<OrderLine> lines, String currency) {}

  /**
   * @param pricingNote how shipping was priced, when not by the live quote
   */
  private record Priced(List<OrderLine> lines, ShippingQuote quote, @Nullable String pricingNote) {}

  private Catalogued price(PlaceOrder request) {
    Map<String, Product> products =
        catalogue.find(request.items().stream().map(PlaceOrder.Item::sku).distinct().toList());
    List<String> unknown =
        request.items().stream()
            .map(PlaceOrder.Item::sku)
            .filter(sku -> !products.containsKey(sku))
            .distinct()
            .toList();
    if (!unknown.isEmpty()) {
      throw new UnknownSkusException(unknown);
    }
    List<OrderLine> lines = new ArrayList<>();
    Set<String> currencies = new TreeSet<>();
    for (PlaceOrder.Item item : request.items()) {
      Product product = products.get(item.sku());
      currencies.add(product.currency());
      lines.add(
          new OrderLine(
              product.sku(),
              product.name(),
              item.quantity(),
              product.unitPrice(),
              product.weightKg()));
    }
    if (currencies.size() != 1) {
      throw new InconsistentAnswerException(
          "The catalogue prices these products in several currencies: " + currencies);
    }
    return new Catalogued(List.copyOf(lines), currencies.iterator().next());
  }

  /**
   * Shipping by the published tariff, whatever kept the live quote from answering. The order keeps
   * why in a few fixed words: its events are published and never forgotten, so the failure's own
   * message (hosts, keys) goes to the log, not into them.
   */
  private Priced fromTariff(Catalogued catalogued, ShippingQuoteQuery asked, Throwable failure) {
    Throwable cause =
        failure instanceof CompletionException && failure.getCause() != null
            ? failure.getCause()
            : failure;
    String why = reason(cause);
    log.info(
        "The live shipping quote failed ({}); pricing shipping from the tariff", cause.toString());
    return tariff
        .rateFor(asked.country(), asked.weightKg())
        .map(
            rate ->
                quoted(
                    catalogued,
                    new ShippingQuote(rate.price(), rate.currency(), rate.etaDays()),
                    "shipping priced from the published tariff, the live quote failed ("
                        + why
                        + ")"))
        .orElseThrow(
            () ->
                new ShippingUnpricedException(
                    "Shipping cannot be priced: the live quote failed ("
                        + why
                        + ") and no published tariff prices it (none is held yet, or it has"
                        + " no rate for "
                        + asked.country()
                        + ")",
                    limits.retryAfterSeconds(),
                    cause));
  }

  private static String reason(Throwable failure) {
    if (failure instanceof QueryTimeoutException) {
      return "no answer in time";
    }
    if (failure instanceof MessagePublishException) {
      return "the query could not be sent";
    }
    if (failure instanceof QueryFailedException) {
      return "shipping-service could not answer";
    }
    return "the query failed";
  }

  private static Priced quoted(
      Catalogued catalogued, ShippingQuote quote, @Nullable String pricingNote) {
    if (!catalogued.currency().equals(quote.currency())) {
      throw new InconsistentAnswerException(
          "Shipping quoted in %s, the products are priced in %s"
              .formatted(quote.currency(), catalogued.currency()));
    }
    return new Priced(catalogued.lines(), quote, pricingNote);
  }

  private Stored store(
      UUID orderId,
      PlaceOrder request,
      Priced priced,
      @Nullable String idempotencyKey,
      String requestHash) {
    Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
    // The reservation's deadline runs on saga time.
    Moment moment = new Moment(now, sagaClock.now().truncatedTo(ChronoUnit.MICROS));
    Order.Placed placed =
        Order.place(
            orderId,
            request.customerId(),
            priced.lines(),
            request.shippingAddress(),
            request.cardToken(),
            priced.quote().price(),
            priced.quote().currency(),
            moment,
            settings.stepTimeout(),
            priced.pricingNote());
    Boolean stored =
        transactions.execute(
            status -> {
              if (idempotencyKey != null
                  && !keys.claim(idempotencyKey, requestHash, orderId, now)) {
                return false;
              }
              orders.add(placed.order(), placed.commands());
              return true;
            });
    if (Boolean.TRUE.equals(stored)) {
      return new Stored(orderId, false);
    }
    // A concurrent request with the same key stored its order first; answer with that one.
    UUID earlier =
        keys.find(Objects.requireNonNull(idempotencyKey), requestHash)
            .orElseThrow(() -> new IllegalStateException("Idempotency key vanished"));
    return new Stored(earlier, true);
  }

  /** SHA-256 of the request as JSON: the same order, however its JSON was spaced or ordered. */
  private String hash(PlaceOrder request) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest(json.writeValueAsString(request).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void destroy() {
    storing.shutdown();
  }
}
