package dev.asyncshop.messaging.internal;

import dev.asyncshop.messaging.Envelope;
import dev.asyncshop.messaging.MessageKind;
import dev.asyncshop.messaging.MessageOptions;
import dev.asyncshop.messaging.MessageType;
import dev.asyncshop.messaging.MessagingProperties.Retry;
import dev.asyncshop.messaging.MessagingProperties.Route;
import dev.asyncshop.messaging.NonRetryableMessageException;
import dev.asyncshop.messaging.Transport;
import dev.asyncshop.messaging.spi.AuditOutcome;
import dev.asyncshop.messaging.spi.AuditRecord;
import dev.asyncshop.messaging.spi.ConsumeResult;
import dev.asyncshop.messaging.spi.ConsumerContext;
import dev.asyncshop.messaging.spi.ConsumerStep;
import dev.asyncshop.messaging.spi.MessageHandler;
import dev.asyncshop.messaging.spi.PrincipalSource;
import dev.asyncshop.messaging.spi.Subscription;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DataAccessResourceFailureException;
import tools.jackson.databind.json.JsonMapper;

/**
 * The pieces consumer and publisher steps are built from, with no broker: routes for one message of
 * each kind, a handler that can be told to fail, meters in memory and an audit trail that keeps its
 * records.
 */
final class PipelineFixtures {

  static final String SERVICE = "fixture-service";
  static final String QUEUE = "fixture.commands";

  @MessageType("fixture.command.v1")
  record FixtureCommand(String text) {}

  @MessageType("fixture.query.v1")
  record FixtureQuery(String question) {}

  record FixtureAnswer(String answer) {}

  static final Retry FAST_RETRY =
      new Retry(
          3,
          Duration.ofMillis(1),
          1.0,
          Duration.ofMillis(1),
          Duration.ZERO,
          List.of(),
          List.of(DataAccessResourceFailureException.class));

  static final Route COMMAND =
      new Route(
          "fixture.command.v1", MessageKind.COMMAND, Transport.RABBITMQ, QUEUE, FAST_RETRY, null);
  static final Route QUERY =
      new Route(
          "fixture.query.v1",
          MessageKind.QUERY,
          Transport.RABBITMQ,
          "fixture.queries",
          FAST_RETRY,
          Duration.ofSeconds(1));
  static final Route EVENT =
      new Route(
          "fixture.event.v1", MessageKind.EVENT, Transport.KAFKA, "fixture.events", null, null);

  final Clock clock = Clock.fixed(Instant.parse("2026-12-01T10:00:00Z"), ZoneOffset.UTC);
  final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  final MessagingMetrics metrics = new MessagingMetrics(meters);
  final List<AuditRecord> audited = new CopyOnWriteArrayList<>();
  final AuditTrail audit = new AuditTrail(List.of(audited::add), metrics, SERVICE, clock);
  final RouteTable routes =
      new RouteTable(List.of(COMMAND, QUERY, EVENT), "", Set.of(Transport.values()));
  final JsonPayloadCodec codec = new JsonPayloadCodec(JsonMapper.builder().build());
  final DefaultEnvelopeFactory envelopes =
      new DefaultEnvelopeFactory(SERVICE, clock, PrincipalSource.NONE);
  final RetryTemplates retries = new RetryTemplates(FAST_RETRY);
  final FixtureHandler handler = new FixtureHandler("fixture.command.v1", FixtureCommand.class);
  final FixtureHandler queryHandler = new FixtureHandler("fixture.query.v1", FixtureQuery.class);
  final Subscription subscription =
      new Subscription(
          Transport.RABBITMQ,
          QUEUE,
          SERVICE,
          Map.of(handler.type(), handler, queryHandler.type(), queryHandler));

  /** Sends through the library's publisher steps to whatever send the caller gives. */
  MessageDispatcher dispatcher() {
    return new MessageDispatcher(
        Map.of(),
        new PublisherSteps(
            List.of(new AuditPublishedStep(audit), new CountPublishedStep(metrics)), List.of()),
        new ReplyReceipts(metrics, audit, clock, List.of()));
  }

  /** The envelope of a new message of the given type, from some other service. */
  Envelope envelope(String type) {
    return envelopes.create(type, MessageOptions.about("order-1").correlatedWith("flow-1"));
  }

  FakeDelivery command(String text) {
    return FakeDelivery.of(envelope(COMMAND.type()), "{\"text\":\"" + text + "\"}");
  }

  FakeDelivery query(String question) {
    return FakeDelivery.query(envelope(QUERY.type()), "{\"question\":\"" + question + "\"}");
  }

  /** A context as the steps before the given one would leave it for a command. */
  ConsumerContext context(FakeDelivery delivery) {
    return new ConsumerContext(subscription, delivery, clock.instant());
  }

  /** A context with envelope, route, handler and payload already filled in. */
  ConsumerContext readCommand(String text) {
    ConsumerContext context = context(command(text));
    context.message(context.delivery().decode());
    context.route(COMMAND);
    context.handler(handler);
    context.payload(new FixtureCommand(text));
    return context;
  }

  ConsumerContext readQuery(String question) {
    ConsumerContext context = context(query(question));
    context.message(context.delivery().decode());
    context.route(QUERY);
    context.handler(queryHandler);
    context.payload(new FixtureQuery(question));
    return context;
  }

  List<AuditOutcome> auditedOutcomes() {
    return audited.stream().map(AuditRecord::outcome).toList();
  }

  double count(String meter, String... tags) {
    return meters.find(meter).tags(tags).counters().stream().mapToDouble(c -> c.count()).sum();
  }

  /** The rest of the chain, recording that it ran. */
  static final class Next implements ConsumerStep.Chain {
    final AtomicInteger calls = new AtomicInteger();
    private final ConsumeResult result;
    private final @Nullable RuntimeException failure;

    private Next(ConsumeResult result, @Nullable RuntimeException failure) {
      this.result = result;
      this.failure = failure;
    }

    static Next returning(ConsumeResult result) {
      return new Next(result, null);
    }

    static Next throwing(RuntimeException failure) {
      return new Next(ConsumeResult.HANDLED, failure);
    }

    @Override
    public ConsumeResult proceed(ConsumerContext context) {
      calls.incrementAndGet();
      if (failure != null) {
        throw failure;
      }
      return result;
    }
  }

  /** A handler that fails a set number of times, or rejects, before it answers. */
  static final class FixtureHandler implements MessageHandler {
    private final String type;
    private final Class<?> payloadType;
    final List<Object> handled = new CopyOnWriteArrayList<>();
    final List<@Nullable Envelope> currentMessages = new CopyOnWriteArrayList<>();
    int failuresBeforeSuccess;
    boolean reject;
    @Nullable Object answer;

    FixtureHandler(String type, Class<?> payloadType) {
      this.type = type;
      this.payloadType = payloadType;
    }

    @Override
    public String type() {
      return type;
    }

    @Override
    public String group() {
      return SERVICE;
    }

    @Override
    public Class<?> payloadType() {
      return payloadType;
    }

    @Override
    public @Nullable Object invoke(Object payload, Envelope envelope) {
      currentMessages.add(dev.asyncshop.messaging.spi.CurrentMessage.get());
      if (reject) {
        throw new NonRetryableMessageException("business rule says no");
      }
      if (failuresBeforeSuccess > 0) {
        failuresBeforeSuccess--;
        throw new IllegalStateException("simulated failure");
      }
      handled.add(payload);
      return answer;
    }

    @Override
    public String toString() {
      return "FixtureHandler." + type;
    }
  }
}
