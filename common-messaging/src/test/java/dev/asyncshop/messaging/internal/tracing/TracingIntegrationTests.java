package dev.asyncshop.messaging.internal.tracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.asyncshop.messaging.HandleMessage;
import dev.asyncshop.messaging.MessageGateway;
import dev.asyncshop.messaging.MessageOptions;
import dev.asyncshop.messaging.Outbox;
import dev.asyncshop.messaging.test.TestApp;
import dev.asyncshop.messaging.test.TestMessages.TestAnswer;
import dev.asyncshop.messaging.test.TestMessages.TestCommand;
import dev.asyncshop.messaging.test.TestMessages.TestEvent;
import dev.asyncshop.messaging.test.TestMessages.TestNotice;
import dev.asyncshop.messaging.test.TestMessages.TestQuery;
import dev.asyncshop.testsupport.TestDatabases;
import dev.asyncshop.testsupport.TestNames;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The span steps against the real brokers and the OpenTelemetry SDK, spans kept in memory: every
 * hop (RabbitMQ, Kafka, Redis, the outbox relay, a handler's own send) is a producer span that is a
 * child of its sender's span, and a consumer span that is a child of the producer span.
 */
class TracingIntegrationTests {

  static final AttributeKey<String> MESSAGE_ID = AttributeKey.stringKey("messaging.message.id");
  static final AttributeKey<String> SYSTEM = AttributeKey.stringKey("messaging.system");
  static final AttributeKey<String> SUBJECT = AttributeKey.stringKey("cloudevents.event_subject");

  static TestApp app;

  /** Spans kept in memory, exported by the SDK as Zipkin's exporter would be. */
  @Configuration(proxyBeanMethods = false)
  static class InMemorySpans {
    @Bean
    InMemorySpanExporter inMemorySpanExporter() {
      return InMemorySpanExporter.create();
    }

    @Bean
    Forwarder forwarder(MessageGateway gateway) {
      return new Forwarder(gateway);
    }
  }

  /** Sends a command for each event it sees, from inside the event's handling. */
  static class Forwarder {
    private final MessageGateway gateway;

    Forwarder(MessageGateway gateway) {
      this.gateway = gateway;
    }

    @HandleMessage(group = "forwarder")
    void on(TestEvent event) {
      if (event.text().startsWith("forward-")) {
        gateway.send(new TestCommand("forwarded-" + event.text()));
      }
    }
  }

  @BeforeAll
  static void start() throws Exception {
    String url = TestDatabases.create("tracing");
    Map<String, Object> properties =
        TestApp.baseProperties(TestNames.unique("traced"), TestApp.Destinations.unique());
    properties.remove("spring.autoconfigure.exclude");
    properties.put("spring.datasource.url", url);
    properties.put("spring.datasource.username", "postgres");
    properties.put("messaging.outbox.enabled", "true");
    properties.put("messaging.idempotency.store", "jdbc");
    properties.put("management.opentelemetry.tracing.export.schedule-delay", "50ms");
    org.postgresql.ds.PGSimpleDataSource dataSource = new org.postgresql.ds.PGSimpleDataSource();
    dataSource.setUrl(url);
    dataSource.setUser("postgres");
    new JdbcTemplate(dataSource)
        .execute(
            new ClassPathResource("db/messaging/R__messaging_tables.sql")
                .getContentAsString(StandardCharsets.UTF_8));
    app = TestApp.start(properties, InMemorySpans.class);
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  @Test
  void aCommandOverRabbitMqContinuesTheSendersTrace() {
    String text = "traced-command-" + UUID.randomUUID();

    Span root = inRootSpan(() -> app.gateway().send(new TestCommand(text)));

    assertHop(root, text, "rabbitmq");
  }

  @Test
  void anEventOverKafkaContinuesTheSendersTrace() {
    String text = "traced-event-" + UUID.randomUUID();

    Span root = inRootSpan(() -> app.gateway().publish(new TestEvent("k", text)));

    assertHop(root, text, "kafka");
  }

  @Test
  void aBroadcastOverRedisContinuesTheSendersTrace() {
    String text = "traced-notice-" + UUID.randomUUID();

    Span root = inRootSpan(() -> app.gateway().broadcast(new TestNotice(text)));

    assertHop(root, text, "redis");
  }

  @Test
  void theOutboxRelayContinuesTheTraceOfTheTransactionThatWroteTheRow() {
    String text = "traced-outbox-" + UUID.randomUUID();

    Span root =
        inRootSpan(
            () ->
                app.bean(TransactionTemplate.class)
                    .executeWithoutResult(
                        status ->
                            app.bean(Outbox.class)
                                .send(new TestCommand(text), MessageOptions.NONE)));

    SpanData consumer = assertHop(root, text, "rabbitmq");
    SpanData producer = spanById(consumer.getParentSpanId());
    assertThat(producer.getAttributes().asMap()).isNotEmpty();
  }

  @Test
  void whatAHandlerSendsIsAChildOfItsConsumerSpan() {
    String text = "forward-" + UUID.randomUUID();

    Span root = inRootSpan(() -> app.gateway().publish(new TestEvent("k", text)));

    await().until(() -> app.probe().handled("forwarded-" + text).size() == 1);
    String forwardedId = app.probe().handled("forwarded-" + text).get(0).envelope().id();
    SpanData commandConsumer = awaitSpan(forwardedId, SpanKind.CONSUMER);
    SpanData commandProducer = spanById(commandConsumer.getParentSpanId());
    SpanData eventConsumer = spanById(commandProducer.getParentSpanId());
    assertThat(eventConsumer.getKind()).isEqualTo(SpanKind.CONSUMER);
    assertThat(eventConsumer.getAttributes().get(SYSTEM)).isEqualTo("kafka");
    SpanData eventProducer = spanById(eventConsumer.getParentSpanId());
    assertThat(eventProducer.getParentSpanId()).isEqualTo(root.context().spanId());
    assertThat(commandConsumer.getTraceId()).isEqualTo(root.context().traceId());
  }

  @Test
  void aQueryAndItsReplyStayInTheAskersTrace() throws Exception {
    String question = "traced-query-" + UUID.randomUUID();
    Tracer tracer = app.bean(Tracer.class);
    Span root = tracer.nextSpan().name("test").start();
    TestAnswer answer;
    try (Tracer.SpanInScope scope = tracer.withSpan(root)) {
      answer = app.gateway().ask(new TestQuery(question), TestAnswer.class).get();
    } finally {
      root.end();
    }

    assertThat(answer.answer()).contains(question);
    assertHop(root, question, "rabbitmq");
  }

  @Test
  void retriesAreEventsAndADeadLetterAnErrorOfTheConsumerSpan() {
    String retried = "traced-retried-" + UUID.randomUUID();
    String rejected = "traced-failing-" + UUID.randomUUID();
    app.probe().failTimes(retried, 2);
    app.probe().alwaysFail(rejected);

    inRootSpan(
        () -> {
          app.gateway().send(new TestCommand(retried), MessageOptions.about(retried));
          app.gateway().send(new TestCommand(rejected), MessageOptions.about(rejected));
        });

    await().until(() -> app.probe().handled(retried).size() == 1);
    SpanData retriedSpan = awaitSpanAbout(retried);
    assertThat(retriedSpan.getEvents())
        .extracting(event -> event.getName())
        .anySatisfy(name -> assertThat(name).startsWith("retry attempt 2"))
        .anySatisfy(name -> assertThat(name).startsWith("retry attempt 3"));
    SpanData rejectedSpan = awaitSpanAbout(rejected);
    assertThat(rejectedSpan.getStatus().getStatusCode())
        .isEqualTo(io.opentelemetry.api.trace.StatusCode.ERROR);
    assertThat(rejectedSpan.getEvents())
        .extracting(event -> event.getName())
        .anySatisfy(name -> assertThat(name).startsWith("dead-lettered"));
  }

  /** Runs the work in a new root span, as an HTTP request's span would be, and returns it. */
  private static Span inRootSpan(Runnable work) {
    Tracer tracer = app.bean(Tracer.class);
    Span root = tracer.nextSpan().name("test").start();
    try (Tracer.SpanInScope scope = tracer.withSpan(root)) {
      work.run();
    } finally {
      root.end();
    }
    return root;
  }

  /**
   * Asserts the hop of the message with the given text: a producer span, child of the root, on the
   * given broker, and a consumer span, child of the producer span, whose id is the envelope's.
   */
  private static SpanData assertHop(Span root, String text, String system) {
    await().until(() -> !app.probe().handled(text).isEmpty());
    var envelope = app.probe().handled(text).get(0).envelope();
    SpanData consumer = awaitSpan(envelope.id(), SpanKind.CONSUMER);
    SpanData producer = awaitSpan(envelope.id(), SpanKind.PRODUCER);
    assertThat(producer.getAttributes().get(SYSTEM)).isEqualTo(system);
    assertThat(producer.getTraceId()).isEqualTo(root.context().traceId());
    assertThat(producer.getParentSpanId()).isEqualTo(root.context().spanId());
    assertThat(consumer.getTraceId()).isEqualTo(root.context().traceId());
    assertThat(consumer.getParentSpanId()).isEqualTo(producer.getSpanId());
    assertThat(envelope.traceparent())
        .isEqualTo("00-" + producer.getTraceId() + "-" + producer.getSpanId() + "-01");
    return consumer;
  }

  private static SpanData awaitSpanAbout(String subject) {
    return awaitValue(
        () ->
            exported().stream()
                .filter(span -> span.getKind() == SpanKind.CONSUMER)
                .filter(span -> subject.equals(span.getAttributes().get(SUBJECT)))
                .findFirst()
                .orElse(null));
  }

  private static SpanData awaitSpan(String messageId, SpanKind kind) {
    return awaitValue(
        () ->
            exported().stream()
                .filter(span -> span.getKind() == kind)
                .filter(span -> messageId.equals(span.getAttributes().get(MESSAGE_ID)))
                .findFirst()
                .orElse(null));
  }

  private static SpanData spanById(String spanId) {
    return awaitValue(
        () ->
            exported().stream()
                .filter(span -> span.getSpanId().equals(spanId))
                .findFirst()
                .orElse(null));
  }

  private static <T> T awaitValue(Supplier<T> value) {
    return await().atMost(Duration.ofSeconds(15)).until(value::get, v -> v != null);
  }

  private static List<SpanData> exported() {
    return app.bean(InMemorySpanExporter.class).getFinishedSpanItems();
  }
}
