package dev.asyncshop.messaging;

import static dev.asyncshop.testsupport.KafkaTopics.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.asyncshop.messaging.spi.AuditOutcome;
import dev.asyncshop.messaging.spi.AuditRecord;
import dev.asyncshop.messaging.spi.AuditSink;
import dev.asyncshop.messaging.spi.CloudEventAttributes;
import dev.asyncshop.messaging.spi.OutboundMessage;
import dev.asyncshop.messaging.spi.PublisherStep;
import dev.asyncshop.messaging.spi.PublisherStepOrder;
import dev.asyncshop.messaging.test.TestApp;
import dev.asyncshop.messaging.test.TestMessages.TestAnswer;
import dev.asyncshop.messaging.test.TestMessages.TestCommand;
import dev.asyncshop.messaging.test.TestMessages.TestEvent;
import dev.asyncshop.messaging.test.TestMessages.TestNotice;
import dev.asyncshop.messaging.test.TestMessages.TestQuery;
import dev.asyncshop.messaging.test.TestSigningKeys;
import dev.asyncshop.messaging.test.TestSigningKeys.TestKey;
import dev.asyncshop.testsupport.KafkaTopics;
import dev.asyncshop.testsupport.TestNames;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.data.redis.connection.stream.StreamOffset;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Signed messages against the real brokers, on each transport: Kafka events, RabbitMQ commands and
 * queries, Redis broadcasts. One service signs with its key and checks with {@code enforce}; other
 * instances send unsigned, with a removed key, as another service, or with the next key.
 */
class SignedMessagesIntegrationTests {

  static final TestApp.Destinations TO = TestApp.Destinations.unique();
  static final String SERVICE = TestNames.unique("signed-service");
  static final String OTHER_SERVICE = TestNames.unique("other-service");

  static final TestKey CURRENT = TestSigningKeys.generate("current1", SERVICE);
  static final TestKey NEXT = TestSigningKeys.generate("next1", SERVICE);
  static final TestKey OTHER = TestSigningKeys.generate("other1", OTHER_SERVICE);
  static final TestKey REMOVED = TestSigningKeys.generate("removed1", SERVICE);

  static final List<String> ATTRIBUTES =
      List.of(
          "id",
          "source",
          "type",
          "time",
          "subject",
          "datacontenttype",
          "correlationid",
          "causationid",
          "traceparent",
          "partitionkey",
          "signaturekeyid",
          "signature",
          "payload");

  static TestApp app;

  /** Changes a message after it was signed, for the correlation ids it was told about. */
  public static class Tamperer implements PublisherStep {

    static final Map<String, UnaryOperator<OutboundMessage>> CHANGES = new ConcurrentHashMap<>();

    @Override
    public CompletableFuture<Void> publish(OutboundMessage message, Chain next) {
      UnaryOperator<OutboundMessage> change = CHANGES.get(message.envelope().correlationId());
      return next.publish(change == null ? message : change.apply(message));
    }

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

  @BeforeAll
  static void start() {
    Map<String, Object> properties = TestApp.baseProperties(SERVICE, TO);
    properties.put("messaging.signing.verify", "enforce");
    CURRENT.signWith(properties);
    CURRENT.accept(properties);
    NEXT.accept(properties);
    OTHER.accept(properties);
    List<String> types = List.of("test.event.v1", "test.command.v1", "test.notice.v1");
    for (int i = 0; i < types.size(); i++) {
      properties.put("messaging.signing.allowed-senders[" + i + "].type", types.get(i));
      properties.put("messaging.signing.allowed-senders[" + i + "].services", SERVICE);
    }
    app = TestApp.start(properties, Tamperer.class, RecordingAuditSink.class);
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  @Test
  void signedMessagesAreHandledOnEveryTransport() throws Exception {
    String flow = "signed-" + UUID.randomUUID();
    sendOnEveryTransport(app, flow, flow);

    await()
        .atMost(15, TimeUnit.SECONDS)
        .until(
            () ->
                app.probe().handled().stream().filter(h -> h.text().startsWith(flow)).count() == 3);
    app.probe().handled().stream()
        .filter(h -> h.text().startsWith(flow))
        .forEach(
            handled -> {
              assertThat(handled.envelope().extension("signaturekeyid")).isEqualTo("current1");
              assertThat(handled.envelope().extension("signature")).isNotBlank();
            });
    TestAnswer answer =
        app.gateway().ask(new TestQuery("signed?"), TestAnswer.class).get(5, TimeUnit.SECONDS);
    assertThat(answer.answer()).isEqualTo("answer to signed?");
  }

  @Test
  void everyTamperedAttributeAndPayloadByteIsRejectedBeforeTheHandler() {
    List<String> flows = new ArrayList<>();
    for (String attribute : ATTRIBUTES) {
      String flow = "tampered-" + attribute + "-" + UUID.randomUUID();
      Tamperer.CHANGES.put(flow, message -> tamper(message, attribute));
      sendOnEveryTransport(app, flow, flow);
      flows.add(flow);
    }

    for (String flow : flows) {
      awaitSecurityDeadLetters(flow, 3, "tampered");
    }
    for (String flow : flows) {
      assertThat(runsStartingWith(flow)).as(flow).isZero();
    }
    assertThat(rejected("tampered", "kafka")).isGreaterThanOrEqualTo(ATTRIBUTES.size());
    assertThat(rejected("tampered", "rabbitmq")).isGreaterThanOrEqualTo(ATTRIBUTES.size());
    assertThat(rejected("tampered", "redis")).isGreaterThanOrEqualTo(ATTRIBUTES.size());
  }

  @Test
  void unsignedMessagesGoToTheSecurityDeadLettersWithTheirReason() {
    String flow = "unsigned-" + UUID.randomUUID();
    try (TestApp unsigned = TestApp.startSender(TestApp.baseProperties(SERVICE, TO))) {
      sendOnEveryTransport(unsigned, flow, flow);
    }

    awaitSecurityDeadLetters(flow, 3, "unsigned");
    assertThat(runsStartingWith(flow)).isZero();

    Message rabbit = awaitRabbitDeadLetter(flow);
    assertThat(rabbit.getMessageProperties().<Object>getHeader(DeadLetterHeaders.REASON))
        .isEqualTo("SIGNATURE_INVALID");
    assertThat(
            rabbit
                .getMessageProperties()
                .<Object>getHeader(DeadLetterHeaders.EXCEPTION_MESSAGE)
                .toString())
        .startsWith("unsigned: ");
    // Kept apart from the failures an operator fixes and replays.
    RabbitTemplate template =
        app.context().getBean("messagingRabbitTemplate", RabbitTemplate.class);
    Message ordinary;
    while ((ordinary = template.receive(TO.queue() + ".dlq", 200)) != null) {
      assertThat(
              String.valueOf(
                  ordinary.getMessageProperties().<Object>getHeader("cloudEvents_correlationid")))
          .isNotEqualTo(flow);
    }
    var kafka =
        KafkaTopics.awaitRecord(
            TO.topic() + ".security.dlt",
            r -> flow.equals(header(r, "ce_correlationid")),
            Duration.ofSeconds(20));
    assertThat(header(kafka, DeadLetterHeaders.REASON)).isEqualTo("SIGNATURE_INVALID");
    StringRedisTemplate redis = app.bean(StringRedisTemplate.class);
    await()
        .atMost(10, TimeUnit.SECONDS)
        .until(
            () ->
                redis
                    .opsForStream()
                    .read(StreamOffset.fromStart(TO.channel() + ".security.dlq"))
                    .stream()
                    .anyMatch(
                        r ->
                            String.valueOf(r.getValue().get("event")).contains(flow)
                                && "SIGNATURE_INVALID"
                                    .equals(r.getValue().get(DeadLetterHeaders.REASON))));
  }

  @Test
  void messagesSignedWithARemovedKeyAreRejected() {
    String flow = "removed-" + UUID.randomUUID();
    Map<String, Object> properties = TestApp.baseProperties(SERVICE, TO);
    REMOVED.signWith(properties);
    try (TestApp sender = TestApp.startSender(properties)) {
      sendOnEveryTransport(sender, flow, flow);
    }

    awaitSecurityDeadLetters(flow, 3, "unknown_key");
    assertThat(runsStartingWith(flow)).isZero();
  }

  @Test
  void aServiceNotAllowedToSendATypeOrClaimingAnotherSourceIsRejected() {
    String notAllowed = "not-allowed-" + UUID.randomUUID();
    Map<String, Object> other = TestApp.baseProperties(OTHER_SERVICE, TO);
    OTHER.signWith(other);
    try (TestApp sender = TestApp.startSender(other)) {
      sendOnEveryTransport(sender, notAllowed, notAllowed);
    }
    String impostor = "impostor-" + UUID.randomUUID();
    Map<String, Object> claiming = TestApp.baseProperties(SERVICE, TO);
    OTHER.signWith(claiming);
    try (TestApp sender = TestApp.startSender(claiming)) {
      sendOnEveryTransport(sender, impostor, impostor);
    }

    awaitSecurityDeadLetters(notAllowed, 3, "source_not_allowed");
    awaitSecurityDeadLetters(impostor, 3, "source_mismatch");
    assertThat(runsStartingWith(notAllowed)).isZero();
    assertThat(runsStartingWith(impostor)).isZero();
  }

  @Test
  void noMessageIsLostWhileTheSigningKeyRotates() {
    String flow = "rotation-" + UUID.randomUUID();
    Map<String, Object> properties = TestApp.baseProperties(SERVICE, TO);
    NEXT.signWith(properties);
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
                .map(h -> h.envelope().extension("signaturekeyid"))
                .distinct())
        .containsExactlyInAnyOrder("current1", "next1");
    assertThat(securityRecords(flow, AuditOutcome.DEAD_LETTERED)).isEmpty();
  }

  @Test
  void anUnsignedQueryFailsForItsAskerAtOnce() {
    try (TestApp asker = TestApp.startSender(TestApp.baseProperties(SERVICE, TO))) {
      CompletableFuture<TestAnswer> answer =
          asker.gateway().ask(new TestQuery("unsigned?"), TestAnswer.class);

      assertThatThrownBy(() -> answer.get(5, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .cause()
          .isInstanceOf(QueryFailedException.class)
          .hasMessageContaining("SIGNATURE_INVALID");
    }
    assertThat(app.probe().runs("unsigned?")).isZero();
  }

  @Test
  void anUnsignedReplyFailsTheQueryForItsAsker() {
    TestApp.Destinations to = TestApp.Destinations.unique();
    Map<String, Object> asking = TestApp.baseProperties(SERVICE, to);
    asking.put("messaging.signing.verify", "enforce");
    CURRENT.signWith(asking);
    CURRENT.accept(asking);
    // Answers without a key of its own, as a process that only reached the broker would.
    Map<String, Object> answering = TestApp.baseProperties(OTHER_SERVICE, to);
    String flow = "forged-reply-" + UUID.randomUUID();
    try (TestApp answerer = TestApp.start(answering);
        TestApp asker = TestApp.startSender(asking, RecordingAuditSink.class)) {
      CompletableFuture<TestAnswer> answer =
          asker
              .gateway()
              .ask(
                  new TestQuery("forged?"),
                  TestAnswer.class,
                  MessageOptions.NONE.correlatedWith(flow));

      assertThatThrownBy(() -> answer.get(5, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .cause()
          .isInstanceOf(QueryFailedException.class)
          .hasMessageContaining("unsigned");
      assertThat(answerer.probe().runs("forged?")).isEqualTo(1);
      assertThat(
              asker
                  .meters()
                  .find("messaging.security.rejected")
                  .tags("reason", "unsigned", "type", "test.query.reply.v1")
                  .counter())
          .isNotNull();
    }
    assertThat(securityRecords(flow, AuditOutcome.SIGNATURE_REJECTED))
        .singleElement()
        .satisfies(record -> assertThat(record.type()).isEqualTo("test.query.reply.v1"));
  }

  @Test
  void warnLetsAFailedCheckThroughAndCountsIt() {
    TestApp.Destinations to = TestApp.Destinations.unique();
    Map<String, Object> properties = TestApp.baseProperties(SERVICE, to);
    properties.put("messaging.signing.verify", "warn");
    CURRENT.signWith(properties);
    CURRENT.accept(properties);
    String flow = "warned-" + UUID.randomUUID();
    try (TestApp warned = TestApp.start(properties);
        TestApp unsigned = TestApp.startSender(TestApp.baseProperties(SERVICE, to))) {
      sendOnEveryTransport(unsigned, flow, flow);

      await()
          .atMost(15, TimeUnit.SECONDS)
          .until(
              () ->
                  warned.probe().handled().stream().filter(h -> h.text().startsWith(flow)).count()
                      == 3);
      await()
          .untilAsserted(
              () ->
                  assertThat(
                          warned
                              .meters()
                              .find("messaging.security.rejected")
                              .tags("reason", "unsigned", "mode", "warn")
                              .counters()
                              .stream()
                              .mapToDouble(c -> c.count())
                              .sum())
                      .isEqualTo(3.0));
    }
  }

  @Test
  void checkingWithoutAnyAcceptedKeyStopsTheStart() {
    Map<String, Object> properties = TestApp.baseProperties(SERVICE, TestApp.Destinations.unique());
    properties.put("messaging.signing.verify", "enforce");

    assertThatThrownBy(() -> TestApp.startSender(properties).close())
        .rootCause()
        .hasMessageContaining(
            "messaging.signing.verify is 'enforce' but messaging.signing.keys accepts no key");
  }

  private static void sendOnEveryTransport(TestApp sender, String flow, String text) {
    MessageOptions options = MessageOptions.about("subject-1").correlatedWith(flow);
    sender.gateway().publish(new TestEvent("key-1", text + "-event"), options);
    sender.gateway().send(new TestCommand(text + "-command"), options);
    sender.gateway().broadcast(new TestNotice(text + "-notice"), options);
  }

  /** The message with one attribute, or one payload byte, changed after it was signed. */
  private static OutboundMessage tamper(OutboundMessage message, String attribute) {
    if (attribute.equals("payload")) {
      byte[] data = message.data().clone();
      int at = data.length - 3; // inside the last string value, so the JSON stays JSON
      data[at] = (byte) (data[at] == 'x' ? 'y' : 'x');
      return new OutboundMessage(message.route(), message.envelope(), data);
    }
    Map<String, String> attributes =
        new LinkedHashMap<>(CloudEventAttributes.of(message.envelope()));
    String value = attributes.get(attribute);
    String changed =
        switch (attribute) {
          case "type" -> "test.unhandled.v1"; // routed here too, so only the signature can tell
          case "time" -> Instant.parse(value).plusSeconds(1).toString();
          case "datacontenttype" -> "text/plain";
          case "causationid" -> "forged-cause"; // absent until now: adding one counts too
          case "traceparent" -> value.substring(0, value.length() - 2) + "00";
          case "signaturekeyid" -> "other1"; // a key that is accepted, for another service
          case "signature" -> (value.charAt(0) == 'A' ? "B" : "A") + value.substring(1);
          default -> value + "x";
        };
    attributes.put(attribute, changed);
    return new OutboundMessage(
        message.route(),
        CloudEventAttributes.toEnvelope(attributes::get, attributes.keySet()),
        message.data());
  }

  /** Waits for the dead letters of a flow, rejected for their signature with that sub-reason. */
  private static void awaitSecurityDeadLetters(String flow, int count, String problem) {
    await()
        .atMost(30, TimeUnit.SECONDS)
        .untilAsserted(
            () ->
                assertThat(securityRecords(flow, AuditOutcome.DEAD_LETTERED))
                    .as(flow)
                    .hasSize(count)
                    .allSatisfy(
                        r ->
                            assertThat(r.detail())
                                .startsWith(
                                    "SIGNATURE_INVALID: SignatureRejectedException: " + problem)));
    assertThat(securityRecords(flow, AuditOutcome.SIGNATURE_REJECTED)).hasSize(count);
  }

  private static List<AuditRecord> securityRecords(String flow, AuditOutcome outcome) {
    return RecordingAuditSink.RECORDS.stream()
        .filter(r -> r.outcome() == outcome)
        .filter(r -> r.correlationId() != null && r.correlationId().startsWith(flow))
        .filter(
            r ->
                outcome != AuditOutcome.DEAD_LETTERED || r.detail().startsWith("SIGNATURE_INVALID"))
        .toList();
  }

  private static long runsStartingWith(String text) {
    return app.probe().handled().stream().filter(h -> h.text().startsWith(text)).count();
  }

  private static double rejected(String reason, String transport) {
    return app
        .meters()
        .find("messaging.security.rejected")
        .tags("reason", reason, "transport", transport)
        .counters()
        .stream()
        .mapToDouble(c -> c.count())
        .sum();
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
}
