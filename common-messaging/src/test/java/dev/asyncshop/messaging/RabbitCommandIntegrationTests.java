package dev.asyncshop.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.asyncshop.messaging.internal.MessagingMetrics;
import dev.asyncshop.messaging.test.Probe;
import dev.asyncshop.messaging.test.TestApp;
import dev.asyncshop.messaging.test.TestMessages.TestAnswer;
import dev.asyncshop.messaging.test.TestMessages.TestCommand;
import dev.asyncshop.messaging.test.TestMessages.TestQuery;
import dev.asyncshop.messaging.test.TestMessages.UnhandledCommand;
import dev.asyncshop.testsupport.TestNames;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.core.QueueBuilder;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

/** Commands and queries on RabbitMQ, end to end against the broker on 127.0.0.1. */
class RabbitCommandIntegrationTests {

  static final TestApp.Destinations TO = TestApp.Destinations.unique();
  static final String QUEUE = TO.queue();
  static final String DLQ = QUEUE + ".dlq";
  static final String SERVICE = TestNames.unique("rabbit-service");

  static TestApp app;

  @BeforeAll
  static void start() {
    app = TestApp.start(TestApp.baseProperties(SERVICE, TO));
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  private static Probe probe() {
    return app.probe();
  }

  @Test
  void commandRoundTripKeepsEveryEnvelopeAttribute() {
    String text = "round-trip-" + UUID.randomUUID();
    app.gateway()
        .send(new TestCommand(text), MessageOptions.about("order-9").correlatedWith("flow-9"));

    await().atMost(10, TimeUnit.SECONDS).until(() -> probe().handled(text).size() == 1);
    Envelope envelope = probe().handled(text).get(0).envelope();
    assertThat(envelope.id()).isNotBlank();
    assertThat(envelope.source()).isEqualTo("/asyncshop/" + SERVICE);
    assertThat(envelope.type()).isEqualTo("test.command.v1");
    assertThat(envelope.time()).isBefore(Instant.now().plusSeconds(1));
    assertThat(envelope.subject()).isEqualTo("order-9");
    assertThat(envelope.dataContentType()).isEqualTo("application/json");
    assertThat(envelope.correlationId()).isEqualTo("flow-9");
    assertThat(envelope.traceparent()).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01");
    assertThat(envelope.partitionKey()).isEqualTo("order-9");
  }

  @Test
  void queryIsAnswered() throws Exception {
    TestAnswer answer =
        app.gateway().ask(new TestQuery("price?"), TestAnswer.class).get(5, TimeUnit.SECONDS);

    assertThat(answer.answer()).isEqualTo("answer to price?");
  }

  @Test
  void queryWhoseHandlerRefusesFailsWithTheHandlersReason() {
    CompletableFuture<TestAnswer> answer =
        app.gateway().ask(new TestQuery("reject-this"), TestAnswer.class);

    assertThatThrownBy(() -> answer.get(5, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOf(QueryFailedException.class)
        .hasMessageContaining("business rule says no to reject-this");
  }

  @Test
  void queryNobodyAnswersFailsAfterItsTimeout() {
    String silentQueue = TestNames.unique("test.silent");
    app.bean(AmqpAdmin.class)
        .declareQueue(QueueBuilder.nonDurable(silentQueue).autoDelete().build());
    Map<String, Object> properties = TestApp.baseProperties(TestNames.unique("asker"), TO);
    properties.put("messaging.routes[2].destination", silentQueue);
    properties.put("messaging.routes[2].timeout", "700ms");
    try (TestApp asker = TestApp.startSender(properties)) {
      long start = System.nanoTime();
      CompletableFuture<TestAnswer> answer =
          asker.gateway().ask(new TestQuery("anyone?"), TestAnswer.class);

      assertThatThrownBy(() -> answer.get(5, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .cause()
          .isInstanceOf(QueryTimeoutException.class)
          .hasMessageContaining("No reply to test.query.v1")
          .hasMessageContaining("from queue '" + silentQueue + "' within 700 ms");
      assertThat(Duration.ofNanos(System.nanoTime() - start))
          .isBetween(Duration.ofMillis(650), Duration.ofSeconds(4));
    }
  }

  @Test
  void sendToAQueueThatDoesNotExistFailsForTheCaller() {
    Map<String, Object> properties = TestApp.baseProperties(TestNames.unique("lost-sender"), TO);
    String missing = TestNames.unique("no.such.queue");
    properties.put("messaging.routes[4].destination", missing);
    try (TestApp sender = TestApp.startSender(properties)) {
      assertThatThrownBy(() -> sender.gateway().send(new UnhandledCommand("hello")))
          .isInstanceOf(MessagePublishException.class)
          .hasMessageContaining("no queue named '" + missing + "' exists")
          .hasMessageContaining("404 NOT_FOUND");
      assertThat(
              sender
                  .meters()
                  .get(MessagingMetrics.PUBLISHED)
                  .tags("destination", missing, "outcome", "failure")
                  .counter()
                  .count())
          .isEqualTo(1.0);
    }
  }

  @Test
  void fireAndForgetIsTrackedWithoutMakingTheCallerWait() throws Exception {
    String text = "fire-and-forget-" + UUID.randomUUID();

    CompletableFuture<Void> confirmed = app.gateway().fireAndForget(new TestCommand(text));

    confirmed.get(5, TimeUnit.SECONDS);
    await().atMost(10, TimeUnit.SECONDS).until(() -> probe().handled(text).size() == 1);

    Map<String, Object> properties = TestApp.baseProperties(TestNames.unique("forgetful"), TO);
    String missing = TestNames.unique("no.such.queue");
    properties.put("messaging.routes[4].destination", missing);
    try (TestApp sender = TestApp.startSender(properties)) {
      CompletableFuture<Void> lost = sender.gateway().fireAndForget(new UnhandledCommand("x"));

      assertThatThrownBy(() -> lost.get(5, TimeUnit.SECONDS))
          .cause()
          .isInstanceOf(MessagePublishException.class);
      assertThat(
              sender
                  .meters()
                  .get(MessagingMetrics.PUBLISHED)
                  .tags("destination", missing, "outcome", "failure")
                  .counter()
                  .count())
          .isEqualTo(1.0);
    }
  }

  @Test
  void handlerFailingTwiceThenSucceedingRunsItsSideEffectOnce() {
    String text = "flaky-" + UUID.randomUUID();
    probe().failTimes(text, 2);
    double retriedBefore = counter(MessagingMetrics.RETRIED);

    app.gateway().send(new TestCommand(text));

    await().atMost(10, TimeUnit.SECONDS).until(() -> probe().handled(text).size() == 1);
    assertThat(probe().runs(text)).isEqualTo(3);
    await()
        .untilAsserted(
            () -> assertThat(counter(MessagingMetrics.RETRIED) - retriedBefore).isEqualTo(2.0));
  }

  @Test
  void handlerAlwaysFailingIsDeadLetteredAndTheNextMessageStillRuns() {
    String bad = "always-failing-" + UUID.randomUUID();
    String next = "after-failing-" + UUID.randomUUID();
    probe().alwaysFail(bad);

    app.gateway().send(new TestCommand(bad));
    app.gateway().send(new TestCommand(next));

    Message deadLetter = awaitDeadLetter(bad);
    Map<String, Object> headers = deadLetter.getMessageProperties().getHeaders();
    assertThat(headers.get(DeadLetterHeaders.REASON)).isEqualTo("RETRIES_EXHAUSTED");
    assertThat(headers.get(DeadLetterHeaders.EXCEPTION_CLASS))
        .isEqualTo(IllegalStateException.class.getName());
    assertThat(headers.get(DeadLetterHeaders.EXCEPTION_MESSAGE))
        .isEqualTo("simulated failure 4 for " + bad);
    assertThat(headers.get(DeadLetterHeaders.ATTEMPTS)).isEqualTo("4");
    assertThat(headers.get(DeadLetterHeaders.ORIGINAL_DESTINATION)).isEqualTo(QUEUE);
    assertThat(headers.get(DeadLetterHeaders.CONSUMER_GROUP)).isEqualTo(SERVICE);
    assertThat(Instant.parse((String) headers.get(DeadLetterHeaders.LAST_FAILURE_TIME)))
        .isAfter(Instant.parse((String) headers.get(DeadLetterHeaders.FIRST_FAILURE_TIME)));
    assertThat((String) headers.get(DeadLetterHeaders.STACK_SUMMARY))
        .contains("IllegalStateException");
    assertThat(headers.get("cloudEvents_type")).isEqualTo("test.command.v1");
    assertThat(headers.get("x-original-routingKey")).isEqualTo(QUEUE);

    await().atMost(10, TimeUnit.SECONDS).until(() -> probe().handled(next).size() == 1);
    assertThat(probe().handled(bad)).isEmpty();
    await().atMost(5, TimeUnit.SECONDS).until(() -> messagesIn(QUEUE) == 0);
  }

  @Test
  void poisonMessagesAreDeadLetteredWithoutRetries() {
    String id = UUID.randomUUID().toString();
    rawTemplate().send("", QUEUE, rawCommand(id, "test.command.v1", "{not json"));
    rawTemplate().send("", QUEUE, rawCommand(id + "-unknown", "test.nobody-knows.v1", "{}"));
    rawTemplate()
        .send(
            "", QUEUE, new Message("{}".getBytes(StandardCharsets.UTF_8), new MessageProperties()));

    Message unparseable = awaitDeadLetterWithId(id);
    assertThat(header(unparseable, DeadLetterHeaders.REASON)).isEqualTo("POISON");
    assertThat(header(unparseable, DeadLetterHeaders.ATTEMPTS)).isEqualTo("0");
    assertThat(header(unparseable, DeadLetterHeaders.EXCEPTION_MESSAGE))
        .startsWith("Payload is not a valid TestCommand");

    Message unknownType = awaitDeadLetterWithId(id + "-unknown");
    assertThat(header(unknownType, DeadLetterHeaders.EXCEPTION_MESSAGE))
        .isEqualTo("Unknown message type 'test.nobody-knows.v1': no route under messaging.routes");

    Message noAttributes =
        awaitDeadLetterMatching(
            m ->
                "Missing CloudEvents attribute 'specversion'"
                    .equals(header(m, DeadLetterHeaders.EXCEPTION_MESSAGE)));
    assertThat(header(noAttributes, DeadLetterHeaders.REASON)).isEqualTo("POISON");
  }

  @Test
  void commandWithoutHandlerIsDeadLettered() {
    String id = UUID.randomUUID().toString();
    rawTemplate().send("", QUEUE, rawCommand(id, "test.unhandled.v1", "{\"text\":\"x\"}"));

    Message deadLetter = awaitDeadLetterWithId(id);
    assertThat(header(deadLetter, DeadLetterHeaders.REASON)).isEqualTo("NO_HANDLER");
  }

  @Test
  void nonRetryableFailureIsDeadLetteredAtOnce() {
    String text = "reject-" + UUID.randomUUID();
    app.gateway().send(new TestCommand(text));

    Message deadLetter = awaitDeadLetter(text);
    assertThat(header(deadLetter, DeadLetterHeaders.REASON)).isEqualTo("NON_RETRYABLE");
    assertThat(header(deadLetter, DeadLetterHeaders.ATTEMPTS)).isEqualTo("1");
    assertThat(probe().runs(text)).isEqualTo(1);
  }

  @Test
  void sequentialDuplicatesRunTheHandlerOnce() {
    String id = UUID.randomUUID().toString();
    String text = "duplicate-" + id;
    double before = counter(MessagingMetrics.DUPLICATES_SKIPPED);

    for (int i = 0; i < 3; i++) {
      rawTemplate().send("", QUEUE, rawCommand(id, "test.command.v1", json(text)));
    }

    await().atMost(10, TimeUnit.SECONDS).until(() -> probe().handled(text).size() == 1);
    await()
        .atMost(10, TimeUnit.SECONDS)
        .untilAsserted(
            () -> assertThat(counter(MessagingMetrics.DUPLICATES_SKIPPED) - before).isEqualTo(2.0));
    assertThat(probe().handled(text)).hasSize(1);
  }

  @Test
  void concurrentDuplicatesOnTwoInstancesRunTheHandlerOnce() {
    TestApp.Destinations shared = TestApp.Destinations.unique();
    String group = TestNames.unique("competing");
    try (TestApp first = TestApp.start(TestApp.baseProperties(group, shared));
        TestApp second = TestApp.start(TestApp.baseProperties(group, shared))) {
      String id = UUID.randomUUID().toString();
      String text = "concurrent-" + id;
      first.probe().delay(text, 600);
      second.probe().delay(text, 600);

      for (int i = 0; i < 4; i++) {
        rawTemplate().send("", shared.queue(), rawCommand(id, "test.command.v1", json(text)));
      }

      await()
          .atMost(15, TimeUnit.SECONDS)
          .until(
              () -> duplicates(first, shared.queue()) + duplicates(second, shared.queue()) == 3.0);
      assertThat(first.probe().handled(text).size() + second.probe().handled(text).size())
          .isEqualTo(1);
      assertThat(first.probe().runs(text) + second.probe().runs(text)).isEqualTo(1);
    }
  }

  private static double duplicates(TestApp instance, String queue) {
    return instance
        .meters()
        .find(MessagingMetrics.DUPLICATES_SKIPPED)
        .tag("destination", queue)
        .counters()
        .stream()
        .mapToDouble(c -> c.count())
        .sum();
  }

  private static Message rawCommand(String id, String type, String body) {
    MessageProperties properties = new MessageProperties();
    properties.setHeader("cloudEvents_specversion", "1.0");
    properties.setHeader("cloudEvents_id", id);
    properties.setHeader("cloudEvents_source", "/test");
    properties.setHeader("cloudEvents_type", type);
    properties.setContentType("application/json");
    return new Message(body.getBytes(StandardCharsets.UTF_8), properties);
  }

  private static String json(String text) {
    return "{\"text\":\"" + text + "\"}";
  }

  private static Message awaitDeadLetter(String bodyText) {
    return awaitDeadLetterMatching(
        m -> new String(m.getBody(), StandardCharsets.UTF_8).contains(bodyText));
  }

  private static Message awaitDeadLetterWithId(String id) {
    return awaitDeadLetterMatching(m -> id.equals(header(m, "cloudEvents_id")));
  }

  /** Takes dead letters off the DLQ until one matches; the others are put back. */
  private static synchronized Message awaitDeadLetterMatching(
      java.util.function.Predicate<Message> matching) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    java.util.List<Message> others = new java.util.ArrayList<>();
    try {
      while (System.nanoTime() < deadline) {
        Message message = rawTemplate().receive(DLQ, 500);
        if (message == null) {
          continue;
        }
        if (matching.test(message)) {
          return message;
        }
        others.add(message);
      }
      throw new AssertionError("No matching dead letter arrived on " + DLQ);
    } finally {
      others.forEach(m -> rawTemplate().send("", DLQ, m));
    }
  }

  private static String header(Message message, String name) {
    Object value = message.getMessageProperties().getHeader(name);
    return value == null ? null : value.toString();
  }

  private static int messagesIn(String queue) {
    return ((Number) app.bean(AmqpAdmin.class).getQueueProperties(queue).get("QUEUE_MESSAGE_COUNT"))
        .intValue();
  }

  private static RabbitTemplate rawTemplate() {
    return app.context().getBean("messagingRabbitTemplate", RabbitTemplate.class);
  }

  private static double counter(String name) {
    return app.meters().find(name).tag("destination", QUEUE).counters().stream()
        .mapToDouble(c -> c.count())
        .sum();
  }
}
