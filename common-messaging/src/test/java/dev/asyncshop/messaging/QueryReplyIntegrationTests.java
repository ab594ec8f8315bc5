package dev.asyncshop.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.asyncshop.messaging.internal.MessagingMetrics;
import dev.asyncshop.messaging.spi.AuditOutcome;
import dev.asyncshop.messaging.spi.AuditRecord;
import dev.asyncshop.messaging.spi.AuditSink;
import dev.asyncshop.messaging.test.TestApp;
import dev.asyncshop.messaging.test.TestMessages.TestAnswer;
import dev.asyncshop.messaging.test.TestMessages.TestQuery;
import dev.asyncshop.testsupport.TestNames;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * A query's reply travels in its own envelope, against the real RabbitMQ: the asker reads its
 * CloudEvents attributes, and both sides audit and count it like every other message. Two services:
 * one answers, one asks.
 */
class QueryReplyIntegrationTests {

  static final TestApp.Destinations TO = TestApp.Destinations.unique();
  static final String ANSWERER = TestNames.unique("answerer");
  static final String ASKER = TestNames.unique("asker");
  static final String REPLY_TYPE = "test.query.reply.v1";

  static TestApp answerer;
  static TestApp asker;

  /** Keeps every audit record of its application. */
  @Configuration(proxyBeanMethods = false)
  static class RecordedAudit {
    final List<AuditRecord> records = new CopyOnWriteArrayList<>();

    @Bean
    AuditSink recordingAuditSink() {
      return records::add;
    }
  }

  @BeforeAll
  static void start() {
    answerer = TestApp.start(TestApp.baseProperties(ANSWERER, TO), RecordedAudit.class);
    asker = TestApp.startSender(TestApp.baseProperties(ASKER, TO), RecordedAudit.class);
  }

  @AfterAll
  static void stop() {
    asker.close();
    answerer.close();
  }

  @Test
  void theReplyCarriesTheCloudEventsAttributesOfItsOwnEnvelope() {
    String id = UUID.randomUUID().toString();
    Message reply = ask(rawQuery(id, "{\"question\":\"price?\"}"));

    MessageProperties properties = reply.getMessageProperties();
    assertThat(header(reply, "cloudEvents_specversion")).isEqualTo("1.0");
    assertThat(header(reply, "cloudEvents_id")).isNotBlank().isNotEqualTo(id);
    assertThat(header(reply, "cloudEvents_type")).isEqualTo(REPLY_TYPE);
    assertThat(header(reply, "cloudEvents_source")).isEqualTo("/asyncshop/" + ANSWERER);
    assertThat(header(reply, "cloudEvents_causationid")).isEqualTo(id);
    assertThat(header(reply, "cloudEvents_correlationid")).isEqualTo("flow-" + id);
    assertThat(header(reply, "cloudEvents_subject")).isEqualTo("order-" + id);
    assertThat(Instant.parse(header(reply, "cloudEvents_time")))
        .isBefore(Instant.now().plusSeconds(1));
    assertThat(header(reply, "cloudEvents_traceparent")).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01");
    assertThat(properties.getContentType()).isEqualTo("application/json");
    assertThat(properties.getType()).isEqualTo(REPLY_TYPE);
    assertThat(header(reply, "messaging-error")).isNull();
    assertThat(new String(reply.getBody(), StandardCharsets.UTF_8))
        .isEqualTo("{\"answer\":\"answer to price?\"}");
  }

  @Test
  void aFailedQueryIsAnsweredWithTheFailureInTheEnvelope() {
    String id = UUID.randomUUID().toString();
    Message reply = ask(rawQuery(id, "{\"question\":\"reject-" + id + "\"}"));

    assertThat(header(reply, "messaging-error")).isEqualTo("NON_RETRYABLE");
    assertThat(header(reply, "cloudEvents_type")).isEqualTo(REPLY_TYPE);
    assertThat(header(reply, "cloudEvents_causationid")).isEqualTo(id);
    assertThat(header(reply, "cloudEvents_correlationid")).isEqualTo("flow-" + id);
    assertThat(reply.getMessageProperties().getContentType()).isEqualTo("text/plain");
    assertThat(new String(reply.getBody(), StandardCharsets.UTF_8))
        .isEqualTo(
            "NON_RETRYABLE: NonRetryableMessageException: business rule says no to reject-" + id);
  }

  @Test
  void theReplyIsAuditedAndCountedAsPublishedByTheAnswererAndReceivedByTheAsker() throws Exception {
    double publishedBefore = count(answerer, MessagingMetrics.PUBLISHED, "success");
    double consumedBefore = count(asker, MessagingMetrics.CONSUMED, "handled");
    TestAnswer answer =
        asker
            .gateway()
            .ask(new TestQuery("audited?"), TestAnswer.class, MessageOptions.about("order-7"))
            .get(5, TimeUnit.SECONDS);
    assertThat(answer.answer()).isEqualTo("answer to audited?");

    AuditRecord received = awaitRecord(asker, AuditOutcome.RECEIVED, REPLY_TYPE, null);
    AuditRecord published =
        awaitRecord(answerer, AuditOutcome.PUBLISHED, REPLY_TYPE, received.messageId());
    AuditRecord query =
        awaitRecord(asker, AuditOutcome.PUBLISHED, "test.query.v1", null, received.correlationId());
    for (AuditRecord record : List.of(received, published)) {
      assertThat(record.kind()).isEqualTo(MessageKind.REPLY);
      assertThat(record.transport()).isEqualTo("rabbitmq");
      assertThat(record.destination()).isEqualTo(TO.queryQueue());
      assertThat(record.correlationId()).isEqualTo(query.correlationId());
      assertThat(record.detail()).isNull();
    }
    assertThat(received.service()).isEqualTo(ASKER);
    assertThat(published.service()).isEqualTo(ANSWERER);

    await()
        .atMost(5, TimeUnit.SECONDS)
        .untilAsserted(
            () -> {
              assertThat(count(answerer, MessagingMetrics.PUBLISHED, "success") - publishedBefore)
                  .isEqualTo(1.0);
              assertThat(count(asker, MessagingMetrics.CONSUMED, "handled") - consumedBefore)
                  .isEqualTo(1.0);
            });
  }

  @Test
  void aFailureReplyIsReceivedByTheAskerAsAFailedQueryAndAuditedWithItsReason() {
    String question = "reject-" + UUID.randomUUID();

    assertThatThrownBy(
            () ->
                asker
                    .gateway()
                    .ask(new TestQuery(question), TestAnswer.class)
                    .get(5, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOf(QueryFailedException.class)
        .hasMessageContaining("business rule says no to " + question);

    AuditRecord received =
        await()
            .atMost(5, TimeUnit.SECONDS)
            .until(
                () ->
                    records(asker).stream()
                        .filter(r -> r.outcome() == AuditOutcome.RECEIVED)
                        .filter(r -> r.detail() != null && r.detail().contains(question))
                        .findFirst(),
                java.util.Optional::isPresent)
            .get();
    assertThat(received.type()).isEqualTo(REPLY_TYPE);
    assertThat(received.detail()).startsWith("NON_RETRYABLE: NonRetryableMessageException");
  }

  private static Message rawQuery(String id, String body) {
    MessageProperties properties = new MessageProperties();
    properties.setHeader("cloudEvents_specversion", "1.0");
    properties.setHeader("cloudEvents_id", id);
    properties.setHeader("cloudEvents_source", "/test");
    properties.setHeader("cloudEvents_type", "test.query.v1");
    properties.setHeader("cloudEvents_correlationid", "flow-" + id);
    properties.setHeader("cloudEvents_subject", "order-" + id);
    properties.setContentType("application/json");
    return new Message(body.getBytes(StandardCharsets.UTF_8), properties);
  }

  /** Asks as a plain AMQP client would, with direct reply-to, and returns the raw reply. */
  private static Message ask(Message query) {
    RabbitTemplate template = new RabbitTemplate(asker.bean(ConnectionFactory.class));
    template.setReplyTimeout(5_000);
    // A channel of its own per request, so no reply container outlives the test.
    template.setUseDirectReplyToContainer(false);
    Message reply = template.sendAndReceive("", TO.queryQueue(), query);
    assertThat(reply).as("reply to the query").isNotNull();
    return reply;
  }

  private static String header(Message message, String name) {
    Object value = message.getMessageProperties().getHeader(name);
    return value == null ? null : value.toString();
  }

  private static List<AuditRecord> records(TestApp app) {
    return app.bean(RecordedAudit.class).records;
  }

  private static AuditRecord awaitRecord(
      TestApp app, AuditOutcome outcome, String type, String messageId) {
    return awaitRecord(app, outcome, type, messageId, null);
  }

  private static AuditRecord awaitRecord(
      TestApp app, AuditOutcome outcome, String type, String messageId, String correlationId) {
    return await()
        .atMost(5, TimeUnit.SECONDS)
        .until(
            () ->
                records(app).stream()
                    .filter(r -> r.outcome() == outcome && type.equals(r.type()))
                    .filter(r -> messageId == null || messageId.equals(r.messageId()))
                    .filter(r -> correlationId == null || correlationId.equals(r.correlationId()))
                    .filter(r -> r.detail() == null)
                    .findFirst(),
            java.util.Optional::isPresent)
        .get();
  }

  /** A counter of the reply type, across destinations. */
  private static double count(TestApp app, String meter, String outcome) {
    return app
        .meters()
        .find(meter)
        .tag("type", REPLY_TYPE)
        .tag("outcome", outcome)
        .counters()
        .stream()
        .mapToDouble(c -> c.count())
        .sum();
  }
}
