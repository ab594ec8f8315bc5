package dev.asyncshop.payment;

import static dev.asyncshop.testsupport.TestTokensConfiguration.TOKENS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.boot.test.context.SpringBootTest.WebEnvironment.RANDOM_PORT;

import dev.asyncshop.messaging.Envelope;
import dev.asyncshop.messaging.MessageGateway;
import dev.asyncshop.messaging.internal.encryption.PayloadEncryptions;
import dev.asyncshop.messaging.spi.CloudEventAttributes;
import dev.asyncshop.messaging.testkit.BrokerRedelivery;
import dev.asyncshop.payment.OrderServiceMessages.AuthorizePayment;
import dev.asyncshop.payment.OrderServiceMessages.RefundPayment;
import dev.asyncshop.testsupport.KafkaTopics;
import dev.asyncshop.testsupport.ServiceTestProperties;
import dev.asyncshop.testsupport.TestEncryption;
import dev.asyncshop.testsupport.TestNames;
import dev.asyncshop.testsupport.TestTokensConfiguration;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.client.RestTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * payment-service against RabbitMQ, Redis and PostgreSQL on 127.0.0.1 and the shared embedded
 * Kafka: commands go in through its queues, events are read back from its Kafka topic.
 */
@SpringBootTest(webEnvironment = RANDOM_PORT)
@Import({TestTokensConfiguration.class, BrokerRedelivery.class})
@AutoConfigureRestTestClient
// Closed after the class, while the shared Kafka broker still runs: at JVM exit the broker's own
// shutdown hook may stop it first, and the context's Kafka producer would wait 30 s for it.
@DirtiesContext
class PaymentServiceIntegrationTests {

  /** Before every queue, topic and channel of this run, so no other run sees its messages. */
  static final String PREFIX = TestNames.unique("it") + ".";

  static final String EVENTS = PREFIX + "payments.events";
  static final Duration WAIT = Duration.ofSeconds(20);
  static final JsonMapper JSON = JsonMapper.builder().build();

  @DynamicPropertySource
  static void brokers(DynamicPropertyRegistry registry) {
    ServiceTestProperties.register(registry, "payments", PREFIX);
  }

  RestTestClient http;

  /** Every request as an operator, whose role admits every endpoint, actuator details included. */
  @BeforeEach
  void signedInAsOperator(@Autowired RestTestClient client) {
    http =
        client
            .mutate()
            .defaultHeader(HttpHeaders.AUTHORIZATION, TOKENS.bearer("it-operator", "OPS"))
            .build();
  }

  @Autowired MessageGateway gateway;
  @Autowired MeterRegistry meters;
  @Autowired JdbcClient jdbc;
  @Autowired RabbitTemplate rabbit;
  @Autowired BrokerRedelivery redelivery;

  @Test
  void authorizesAnOrdinaryPayment() {
    String order = newOrderId();

    gateway.send(authorize(order, "19.90", "tok_visa"));

    JsonNode authorized = payload(awaitEvent(order, "payment.authorized.v1"));
    assertThat(authorized.get("orderId").asString()).isEqualTo(order);
    assertThat(authorized.get("amount").decimalValue()).isEqualByComparingTo("19.90");
    assertThat(authorized.get("currency").asString()).isEqualTo("EUR");
    String paymentId = authorized.get("paymentId").asString();
    http.get()
        .uri("/payments/{orderId}", order)
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.paymentId")
        .isEqualTo(paymentId)
        .jsonPath("$.status")
        .isEqualTo("AUTHORIZED")
        .jsonPath("$.amount")
        .isEqualTo(19.90)
        .jsonPath("$.currency")
        .isEqualTo("EUR")
        .jsonPath("$.customerId")
        .isEqualTo("customer-1")
        .jsonPath("$.createdAt")
        .isNotEmpty();
  }

  @Test
  void declinesAnAmountAboveTheLimit() {
    String atLimit = newOrderId();
    String aboveLimit = newOrderId();

    gateway.send(authorize(atLimit, "1000.00", "tok_visa"));
    gateway.send(authorize(aboveLimit, "1000.01", "tok_visa"));

    awaitEvent(atLimit, "payment.authorized.v1");
    assertThat(reason(awaitEvent(aboveLimit, "payment.declined.v1")))
        .isEqualTo("amount above limit of 1000.00");
    http.get()
        .uri("/payments/{orderId}", aboveLimit)
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.status")
        .isEqualTo("DECLINED")
        .jsonPath("$.declineReason")
        .isEqualTo("amount above limit of 1000.00");
  }

  @Test
  void declinesTheTestCards() {
    String declined = newOrderId();
    String broke = newOrderId();

    gateway.send(authorize(declined, "10.00", "tok_declined"));
    gateway.send(authorize(broke, "10.00", "tok_insufficient_funds"));

    assertThat(reason(awaitEvent(declined, "payment.declined.v1"))).isEqualTo("card declined");
    assertThat(reason(awaitEvent(broke, "payment.declined.v1"))).isEqualTo("insufficient funds");
  }

  @Test
  void aRedeliveredAuthorizeChargesOnce() {
    String order = newOrderId();
    Message sameDelivery = rawAuthorize(order, UUID.randomUUID().toString());
    double handledBefore = consumed("handled");
    double duplicatesBefore = consumed("duplicate");

    // The broker redelivering one message: the same message id twice.
    rabbit.send("", PREFIX + "payment.authorize", sameDelivery);
    rabbit.send("", PREFIX + "payment.authorize", sameDelivery);
    // order-service sending the command again: a new message id, the same order.
    gateway.send(authorize(order, "25.00", "tok_visa"));

    await()
        .atMost(WAIT)
        .until(
            () ->
                consumed("handled") == handledBefore + 2
                    && consumed("duplicate") == duplicatesBefore + 1);
    awaitEvent(order, "payment.authorized.v1");
    assertThat(outboxed(order, "payment.authorized.v1")).isOne();
    assertThat(
            jdbc.sql("select count(*) from payment where order_id = :order")
                .param("order", order)
                .query(Integer.class)
                .single())
        .isOne();
  }

  @Test
  void refundsAnAuthorizedPaymentOnce() {
    String order = newOrderId();
    gateway.send(authorize(order, "42.00", "tok_visa"));
    String paymentId =
        payload(awaitEvent(order, "payment.authorized.v1")).get("paymentId").asString();
    double handledBefore = consumed("payment.refund", "payment.refund.v1", "handled");

    gateway.send(new RefundPayment(order, "order cancelled"));
    gateway.send(new RefundPayment(order, "order cancelled"));

    JsonNode refunded = payload(awaitEvent(order, "payment.refunded.v1"));
    assertThat(refunded.get("paymentId").asString()).isEqualTo(paymentId);
    assertThat(refunded.get("amount").decimalValue()).isEqualByComparingTo("42.00");
    assertThat(refunded.get("currency").asString()).isEqualTo("EUR");
    await()
        .atMost(WAIT)
        .until(
            () -> consumed("payment.refund", "payment.refund.v1", "handled") == handledBefore + 2);
    assertThat(outboxed(order, "payment.refunded.v1")).isOne();
    http.get()
        .uri("/payments/{orderId}", order)
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.status")
        .isEqualTo("REFUNDED")
        .jsonPath("$.refundReason")
        .isEqualTo("order cancelled")
        .jsonPath("$.refundedAt")
        .isNotEmpty();
  }

  @Test
  void aRedeliveredRefundRefundsOnce() {
    String order = newOrderId();
    gateway.send(authorize(order, "30.00", "tok_visa"));
    awaitEvent(order, "payment.authorized.v1");
    double duplicatesBefore = consumed("payment.refund", "payment.refund.v1", "duplicate");

    // The broker delivering one refund twice: the same message id both times.
    redelivery.twice(() -> gateway.send(new RefundPayment(order, "order cancelled")));

    awaitEvent(order, "payment.refunded.v1");
    await()
        .atMost(WAIT)
        .until(
            () ->
                consumed("payment.refund", "payment.refund.v1", "duplicate")
                    == duplicatesBefore + 1);
    assertThat(outboxed(order, "payment.refunded.v1")).isOne();
    http.get()
        .uri("/payments/{orderId}", order)
        .exchange()
        .expectBody()
        .jsonPath("$.status")
        .isEqualTo("REFUNDED");
  }

  @Test
  void aRefundWithNothingToRefundChangesNothing() {
    String declined = newOrderId();
    String unknown = newOrderId();
    gateway.send(authorize(declined, "10.00", "tok_declined"));
    awaitEvent(declined, "payment.declined.v1");
    double handledBefore = consumed("payment.refund", "payment.refund.v1", "handled");

    gateway.send(new RefundPayment(declined, "order cancelled"));
    gateway.send(new RefundPayment(unknown, "order cancelled"));

    await()
        .atMost(WAIT)
        .until(
            () -> consumed("payment.refund", "payment.refund.v1", "handled") == handledBefore + 2);
    assertThat(outboxed(declined, "payment.refunded.v1")).isZero();
    assertThat(outboxed(unknown, "payment.refunded.v1")).isZero();
    http.get()
        .uri("/payments/{orderId}", declined)
        .exchange()
        .expectBody()
        .jsonPath("$.status")
        .isEqualTo("DECLINED");
  }

  @Test
  void anUnknownPaymentIsAProblem() {
    http.get()
        .uri("/payments/{orderId}", "no-such-order")
        .exchange()
        .expectStatus()
        .isNotFound()
        .expectHeader()
        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .expectBody()
        .jsonPath("$.status")
        .isEqualTo(404)
        .jsonPath("$.title")
        .isEqualTo("Unknown payment")
        .jsonPath("$.orderId")
        .isEqualTo("no-such-order");
  }

  @Test
  void isReadyDocumentedAndScraped() {
    http.get()
        .uri("/actuator/health/readiness")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.status")
        .isEqualTo("UP")
        .jsonPath("$.components.db.status")
        .isEqualTo("UP")
        .jsonPath("$.components.kafka.status")
        .isEqualTo("UP");
    http.get().uri("/actuator/health/liveness").exchange().expectStatus().isOk();
    http.get()
        .uri("/v3/api-docs")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.paths['/payments/{orderId}'].get")
        .exists();
    http.get().uri("/swagger-ui/index.html").exchange().expectStatus().isOk();
    http.get()
        .uri("/actuator/prometheus")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody(String.class)
        .value(body -> assertThat(body).contains("messaging_outbox_backlog"));
  }

  private static AuthorizePayment authorize(String order, String amount, String card) {
    return new AuthorizePayment(order, "customer-1", new BigDecimal(amount), "EUR", card);
  }

  /** An authorize command as it travels on the queue, CloudEvents AMQP binding, binary mode. */
  /** The command as order-service sends it, encrypted under the run's key, built by hand. */
  private static Message rawAuthorize(String order, String messageId) {
    byte[] body =
        JSON.writeValueAsString(authorize(order, "25.00", "tok_visa"))
            .getBytes(StandardCharsets.UTF_8);
    Envelope envelope =
        new Envelope(
            messageId,
            "/order-service",
            "payment.authorize.v1",
            Instant.now(),
            order,
            Envelope.JSON,
            order,
            null,
            null,
            order);
    PayloadEncryptions.Encrypted encrypted =
        PayloadEncryptions.encrypt(
            envelope, body, TestEncryption.masterKeyId(), TestEncryption.masterKey());
    MessageProperties properties = new MessageProperties();
    properties.setContentType(MessageProperties.CONTENT_TYPE_JSON);
    properties.setMessageId(messageId);
    CloudEventAttributes.of(encrypted.envelope())
        .forEach(
            (name, value) -> {
              if (!name.equals(CloudEventAttributes.DATACONTENTTYPE)) {
                properties.setHeader("cloudEvents_" + name, value);
              }
            });
    return new Message(encrypted.ciphertext(), properties);
  }

  private static String newOrderId() {
    return UUID.randomUUID().toString();
  }

  private static ConsumerRecord<String, byte[]> awaitEvent(String orderId, String type) {
    return KafkaTopics.awaitRecord(
        EVENTS,
        r -> orderId.equals(r.key()) && type.equals(KafkaTopics.header(r, "ce_type")),
        WAIT);
  }

  private static JsonNode payload(ConsumerRecord<String, byte[]> record) {
    return JSON.readTree(record.value());
  }

  private static String reason(ConsumerRecord<String, byte[]> record) {
    return payload(record).get("reason").asString();
  }

  /**
   * Events written for an order: every event leaves through the outbox, so this counts them all.
   */
  private int outboxed(String orderId, String type) {
    return jdbc.sql(
            "select count(*) from outbox where message_type = :type"
                + " and payload::jsonb ->> 'orderId' = :orderId")
        .param("type", type)
        .param("orderId", orderId)
        .query(Integer.class)
        .single();
  }

  private double consumed(String outcome) {
    return consumed("payment.authorize", "payment.authorize.v1", outcome);
  }

  private double consumed(String queue, String type, String outcome) {
    Counter counter =
        meters
            .find("messaging.consumed")
            .tags("destination", PREFIX + queue, "type", type, "outcome", outcome)
            .counter();
    return counter == null ? 0 : counter.count();
  }
}
