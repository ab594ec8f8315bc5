package dev.asyncshop.messaging;

import static dev.asyncshop.testsupport.KafkaTopics.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.asyncshop.messaging.spi.AuditOutcome;
import dev.asyncshop.messaging.spi.AuditRecord;
import dev.asyncshop.messaging.spi.AuditSink;
import dev.asyncshop.messaging.spi.OutboundMessage;
import dev.asyncshop.messaging.spi.PublisherStep;
import dev.asyncshop.messaging.spi.PublisherStepOrder;
import dev.asyncshop.messaging.test.TestApp;
import dev.asyncshop.messaging.test.TestEncryptionKeys;
import dev.asyncshop.messaging.test.TestEncryptionKeys.TestMasterKey;
import dev.asyncshop.messaging.test.TestMessages.TestAnswer;
import dev.asyncshop.messaging.test.TestMessages.TestCommand;
import dev.asyncshop.messaging.test.TestMessages.TestEvent;
import dev.asyncshop.messaging.test.TestMessages.TestNotice;
import dev.asyncshop.messaging.test.TestMessages.TestQuery;
import dev.asyncshop.messaging.test.TestSigningKeys;
import dev.asyncshop.messaging.test.TestSigningKeys.TestKey;
import dev.asyncshop.testsupport.KafkaTopics;
import dev.asyncshop.testsupport.TestNames;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.connection.stream.StreamOffset;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Encrypted payloads against the real brokers, on each transport: Kafka events, RabbitMQ commands
 * and queries, Redis broadcasts, all on routes with {@code encrypt: true}. One service encrypts
 * with its master key and decrypts; other instances send in the clear, under a key it does not
 * hold, with the next key, or change the ciphertext, nonce or wrapped key after encrypting.
 */
@ExtendWith(OutputCaptureExtension.class)
class EncryptedMessagesIntegrationTests {

  static final TestApp.Destinations TO = TestApp.Destinations.unique();
  static final String SERVICE = TestNames.unique("encrypting-service");

  static final TestMasterKey CURRENT = TestEncryptionKeys.generate("current1");
  static final TestMasterKey NEXT = TestEncryptionKeys.generate("next1");
  static final TestMasterKey REMOVED = TestEncryptionKeys.generate("removed1");

  /** A card token no broker, log or dead letter may show in the clear. */
  static final String SECRET_TEXT = "tok_4111111111111111";

  static TestApp app;

  /** Changes a message after it was encrypted, for the correlation ids it was told about. */
  public static class Tamperer implements PublisherStep {

    static final Map<String, UnaryOperator<OutboundMessage>> CHANGES = new ConcurrentHashMap<>();

    @Override
    public CompletableFuture<Void> publish(OutboundMessage message, Chain next) {
      UnaryOperator<OutboundMessage> change = CHANGES.get(message.envelope().correlationId());
      return next.publish(change == null ? message : change.apply(message));
    }

    @Override
    public int getOrder() {
      return PublisherStepOrder.ENCRYPT + 50;
    }
  }

  /** The same, after the signature: the signing test's tamperer. */
  public static class LateTamperer extends Tamperer {

    @Override
    public int getOrder() {
      return PublisherStepOrder.SIGN + 50;
    }
  }

  /** Keeps every audit record. */
  public static class RecordingAuditSink implements AuditSink {

    static final List<AuditRecord> RECORDS = new CopyOnWriteArrayList<>();

    @Override
    public void write(AuditRecord record) {
      RECORDS.add(record);
    }
  }

  /** Every test route encrypted. */
  static Map<String, Object> encryptedProperties(String service, TestApp.Destinations to) {
    Map<String, Object> properties = TestApp.baseProperties(service, to);
    for (int i = 0; i <= 4; i++) {
      properties.put("messaging.routes[" + i + "].encrypt", "true");
    }
    return properties;
  }

  @BeforeAll
  static void start() {
    Map<String, Object> properties = encryptedProperties(SERVICE, TO);
    CURRENT.encryptWith(properties);
    NEXT.hold(properties);
    app = TestApp.start(properties, Tamperer.class, RecordingAuditSink.class);
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  @Test
  void encryptedMessagesAreDecryptedForTheirHandlersOnEveryTransport() throws Exception {
    String flow = "encrypted-" + UUID.randomUUID();
    sendOnEveryTransport(app, flow, flow);

    await().atMost(15, TimeUnit.SECONDS).until(() -> runsStartingWith(flow) == 3);
    app.probe().handled().stream()
        .filter(h -> h.text().startsWith(flow))
        .forEach(
            handled -> {
              assertThat(handled.text()).endsWith(SECRET_TEXT);
              assertThat(handled.envelope().extension("encryptionkeyid")).isEqualTo("current1");
              assertThat(handled.envelope().extensions())
                  .doesNotContainKeys("encrypteddatakey", "encryptionnonce");
            });
    TestAnswer answer =
        app.gateway().ask(new TestQuery("encrypted?"), TestAnswer.class).get(5, TimeUnit.SECONDS);
    assertThat(answer.answer()).isEqualTo("answer to encrypted?");

    await()
        .untilAsserted(
            () ->
                assertThat(records(flow, AuditOutcome.HANDLED))
                    .hasSize(3)
                    .allSatisfy(
                        r -> {
                          assertThat(r.encrypted()).isTrue();
                          assertThat(r.encryptionKeyId()).isEqualTo("current1");
                        }));
    assertThat(records(flow, AuditOutcome.PUBLISHED))
        .hasSize(3)
        .allSatisfy(r -> assertThat(r.encrypted()).isTrue());
  }

  @Test
  void theBrokersHoldOnlyCiphertext() {
    String flow = "raw-" + UUID.randomUUID();
    sendOnEveryTransport(app, flow, flow);

    ConsumerRecord<String, byte[]> record =
        KafkaTopics.awaitRecord(
            TO.topic(), r -> flow.equals(header(r, "ce_correlationid")), Duration.ofSeconds(20));
    assertThat(text(record.value())).doesNotContain(SECRET_TEXT).doesNotContain(flow);
    assertThat(header(record, "ce_encryptionkeyid")).isEqualTo("current1");
    assertThat(header(record, "ce_encrypteddatakey")).isNotBlank();
    assertThat(header(record, "ce_encryptionnonce")).isNotBlank();

    // a message under a key nobody holds stays on the broker as it was sent: in its dead letters
    String stuck = "raw-unknown-" + UUID.randomUUID();
    Map<String, Object> properties = encryptedProperties(SERVICE, TO);
    REMOVED.encryptWith(properties);
    try (TestApp sender = TestApp.startSender(properties)) {
      sendOnEveryTransport(sender, stuck, stuck);
    }
    Message rabbit = awaitRabbitDeadLetter(stuck);
    assertThat(text(rabbit.getBody())).doesNotContain(SECRET_TEXT).doesNotContain(stuck);
    MapRecord<String, Object, Object> redis = awaitRedisDeadLetter(stuck);
    assertThat(String.valueOf(redis.getValue().get("event")))
        .contains("\"data_base64\"")
        .doesNotContain(SECRET_TEXT);
  }

  @Test
  void aKeyNotHeldSendsTheMessageToTheDeadLettersWithoutShowingAnyKey(CapturedOutput output) {
    String flow = "unknown-key-" + UUID.randomUUID();
    Map<String, Object> properties = encryptedProperties(SERVICE, TO);
    REMOVED.encryptWith(properties);
    try (TestApp sender = TestApp.startSender(properties)) {
      sendOnEveryTransport(sender, flow, flow);
    }

    awaitDecryptionDeadLetters(flow, 3, "unknown_key");
    assertThat(runsStartingWith(flow)).isZero();
    assertThat(failed("unknown_key", "kafka")).isPositive();
    assertThat(failed("unknown_key", "rabbitmq")).isPositive();
    assertThat(failed("unknown_key", "redis")).isPositive();

    Message rabbit = awaitRabbitDeadLetter(flow);
    Map<String, Object> headers = rabbit.getMessageProperties().getHeaders();
    assertThat(headers.get(DeadLetterHeaders.REASON)).isEqualTo("DECRYPTION_FAILED");
    assertThat(headers.get(DeadLetterHeaders.EXCEPTION_MESSAGE).toString())
        .startsWith("unknown_key: master key 'removed1' is not held here");
    assertThat(headers.get("cloudEvents_encryptionkeyid")).isEqualTo("removed1");
    String wrapped = String.valueOf(headers.get("cloudEvents_encrypteddatakey"));
    for (Map.Entry<String, Object> header : headers.entrySet()) {
      if (header.getKey().startsWith("dead-letter-")) {
        assertThat(String.valueOf(header.getValue()))
            .as(header.getKey())
            .doesNotContain(wrapped)
            .doesNotContain(REMOVED.secret());
      }
    }
    ConsumerRecord<String, byte[]> kafka =
        KafkaTopics.awaitRecord(
            TO.topic() + ".security.dlt",
            r -> flow.equals(header(r, "ce_correlationid")),
            Duration.ofSeconds(20));
    assertThat(header(kafka, DeadLetterHeaders.REASON)).isEqualTo("DECRYPTION_FAILED");
    assertThat(header(kafka, "ce_encryptionkeyid")).isEqualTo("removed1");
    assertThat(records(flow, AuditOutcome.DECRYPTION_REJECTED))
        .allSatisfy(
            r -> {
              assertThat(r.encryptionKeyId()).isEqualTo("removed1");
              assertThat(r.detail()).doesNotContain(wrapped);
            });
    assertThat(output.getAll())
        .doesNotContain(wrapped)
        .doesNotContain(CURRENT.secret())
        .doesNotContain(NEXT.secret())
        .doesNotContain(REMOVED.secret())
        .doesNotContain(SECRET_TEXT);
  }

  @Test
  void aChangedCiphertextNonceOrWrappedKeyIsCaughtByGcmAlone() {
    Map<String, String> problems =
        Map.of(
            "ciphertext", "tampered",
            "nonce", "tampered",
            "wrapped", "wrapped_key_invalid",
            "attribute", "incomplete");
    List<String> flows = new ArrayList<>();
    problems.forEach(
        (part, problem) -> {
          String flow = "changed-" + part + "-" + UUID.randomUUID();
          Tamperer.CHANGES.put(flow, message -> change(message, part));
          sendOnEveryTransport(app, flow, flow);
          flows.add(flow);
        });

    for (String flow : flows) {
      String part = flow.split("-")[1];
      awaitDecryptionDeadLetters(flow, 3, problems.get(part));
      assertThat(runsStartingWith(flow)).as(flow).isZero();
    }
  }

  @Test
  void withSigningOnTheSignatureCatchesAChangedCiphertextFirst() {
    TestApp.Destinations to = TestApp.Destinations.unique();
    String service = TestNames.unique("signing-encrypting-service");
    TestKey signing = TestSigningKeys.generate("sign1", service);
    Map<String, Object> properties = encryptedProperties(service, to);
    CURRENT.encryptWith(properties);
    properties.put("messaging.signing.verify", "enforce");
    signing.signWith(properties);
    signing.accept(properties);
    String flow = "signed-changed-" + UUID.randomUUID();
    LateTamperer.CHANGES.put(flow, message -> change(message, "ciphertext"));
    try (TestApp signed = TestApp.start(properties, LateTamperer.class, RecordingAuditSink.class)) {
      sendOnEveryTransport(signed, flow, flow);

      await()
          .atMost(30, TimeUnit.SECONDS)
          .untilAsserted(
              () ->
                  assertThat(deadLettered(flow))
                      .hasSize(3)
                      .allSatisfy(
                          r ->
                              assertThat(r.detail())
                                  .startsWith(
                                      "SIGNATURE_INVALID: SignatureRejectedException: tampered")));
      assertThat(records(flow, AuditOutcome.DECRYPTION_REJECTED)).isEmpty();
      assertThat(signed.probe().handled()).noneMatch(h -> h.text().startsWith(flow));
    }
  }

  @Test
  void noMessageIsLostWhileTheMasterKeyRotates() {
    String flow = "rotation-" + UUID.randomUUID();
    Map<String, Object> properties = encryptedProperties(SERVICE, TO);
    NEXT.encryptWith(properties);
    CURRENT.hold(properties);
    int each = 10;
    try (TestApp rotated = TestApp.startSender(properties)) {
      for (int i = 0; i < each; i++) {
        // the old instance and the one already on the next key send side by side
        sendOnEveryTransport(app, flow, flow + "-old-" + i);
        sendOnEveryTransport(rotated, flow, flow + "-new-" + i);
      }
    }

    await().atMost(30, TimeUnit.SECONDS).until(() -> runsStartingWith(flow) == 3 * 2 * each);
    assertThat(
            app.probe().handled().stream()
                .filter(h -> h.text().startsWith(flow))
                .map(h -> h.envelope().extension("encryptionkeyid"))
                .distinct())
        .containsExactlyInAnyOrder("current1", "next1");
    assertThat(deadLettered(flow)).isEmpty();
  }

  @Test
  void aMessageInTheClearOnAnEncryptedRouteIsRejected() {
    String flow = "clear-" + UUID.randomUUID();
    try (TestApp clear = TestApp.startSender(TestApp.baseProperties(SERVICE, TO))) {
      sendOnEveryTransport(clear, flow, flow);
    }

    awaitDecryptionDeadLetters(flow, 3, "unencrypted");
    assertThat(runsStartingWith(flow)).isZero();
  }

  @Test
  void aQueryUnderAKeyNotHeldFailsForItsAskerAtOnce() {
    Map<String, Object> properties = encryptedProperties(SERVICE, TO);
    REMOVED.encryptWith(properties);
    try (TestApp asker = TestApp.startSender(properties)) {
      CompletableFuture<TestAnswer> answer =
          asker.gateway().ask(new TestQuery("unreadable?"), TestAnswer.class);

      assertThatThrownBy(() -> answer.get(5, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .cause()
          .isInstanceOf(QueryFailedException.class)
          .hasMessageContaining("DECRYPTION_FAILED");
    }
    assertThat(app.probe().runs("unreadable?")).isZero();
  }

  @Test
  void anEncryptedRouteWithoutAnActiveKeyStopsTheStart() {
    Map<String, Object> properties = encryptedProperties(SERVICE, TestApp.Destinations.unique());
    NEXT.hold(properties);

    assertThatThrownBy(() -> TestApp.startSender(properties).close())
        .rootCause()
        .hasMessageContaining(
            "Route 'test.event.v1' has encrypt: true but no master key is active for it");
  }

  private static void sendOnEveryTransport(TestApp sender, String flow, String text) {
    MessageOptions options = MessageOptions.about("subject-1").correlatedWith(flow);
    sender.gateway().publish(new TestEvent("key-1", text + "-event-" + SECRET_TEXT), options);
    sender.gateway().send(new TestCommand(text + "-command-" + SECRET_TEXT), options);
    sender.gateway().broadcast(new TestNotice(text + "-notice-" + SECRET_TEXT), options);
  }

  /** The message with one part of its encryption changed after it was encrypted. */
  private static OutboundMessage change(OutboundMessage message, String part) {
    return switch (part) {
      case "ciphertext" -> {
        byte[] data = message.data().clone();
        data[data.length / 2] ^= 1;
        yield new OutboundMessage(message.route(), message.envelope(), data);
      }
      case "nonce" -> changed(message, "encryptionnonce");
      case "wrapped" -> changed(message, "encrypteddatakey");
      case "attribute" ->
          new OutboundMessage(
              message.route(),
              message.envelope().withoutExtension("encryptionnonce"),
              message.data());
      default -> throw new IllegalArgumentException(part);
    };
  }

  private static OutboundMessage changed(OutboundMessage message, String extension) {
    byte[] bytes = Base64.getDecoder().decode(message.envelope().extension(extension));
    bytes[0] ^= 1;
    return new OutboundMessage(
        message.route(),
        message.envelope().withExtension(extension, Base64.getEncoder().encodeToString(bytes)),
        message.data());
  }

  /** Waits for the dead letters of a flow, rejected as undecryptable with that sub-reason. */
  private static void awaitDecryptionDeadLetters(String flow, int count, String problem) {
    await()
        .atMost(30, TimeUnit.SECONDS)
        .untilAsserted(
            () ->
                assertThat(deadLettered(flow))
                    .as(flow)
                    .hasSize(count)
                    .allSatisfy(
                        r ->
                            assertThat(r.detail())
                                .startsWith(
                                    "DECRYPTION_FAILED: DecryptionFailedException: " + problem)));
    assertThat(records(flow, AuditOutcome.DECRYPTION_REJECTED)).hasSize(count);
  }

  private static List<AuditRecord> deadLettered(String flow) {
    return records(flow, AuditOutcome.DEAD_LETTERED);
  }

  private static List<AuditRecord> records(String flow, AuditOutcome outcome) {
    return RecordingAuditSink.RECORDS.stream()
        .filter(r -> r.outcome() == outcome)
        .filter(r -> r.correlationId() != null && r.correlationId().startsWith(flow))
        .toList();
  }

  private static long runsStartingWith(String text) {
    return app.probe().handled().stream().filter(h -> h.text().startsWith(text)).count();
  }

  private static double failed(String reason, String transport) {
    return app
        .meters()
        .find("messaging.security.decryption.failed")
        .tags("reason", reason, "transport", transport)
        .counters()
        .stream()
        .mapToDouble(c -> c.count())
        .sum();
  }

  private static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.ISO_8859_1);
  }

  private static Message awaitRabbitDeadLetter(String flow) {
    RabbitTemplate rabbit = app.context().getBean("messagingRabbitTemplate", RabbitTemplate.class);
    String dlq = TO.queue() + ".security.dlq";
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      Message message = rabbit.receive(dlq, 500);
      Object correlation =
          message == null
              ? null
              : message.getMessageProperties().getHeader("cloudEvents_correlationid");
      if (flow.equals(String.valueOf(correlation))) {
        return message;
      }
    }
    throw new AssertionError("No dead letter of " + flow + " on " + dlq);
  }

  private static MapRecord<String, Object, Object> awaitRedisDeadLetter(String flow) {
    StringRedisTemplate redis = app.bean(StringRedisTemplate.class);
    return await()
        .atMost(10, TimeUnit.SECONDS)
        .until(
            () ->
                redis
                    .opsForStream()
                    .read(StreamOffset.fromStart(TO.channel() + ".security.dlq"))
                    .stream()
                    .filter(r -> String.valueOf(r.getValue().get("event")).contains(flow))
                    .findFirst()
                    .orElse(null),
            r -> r != null);
  }
}
