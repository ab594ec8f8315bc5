package dev.asyncshop.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.asyncshop.messaging.test.TestApp;
import dev.asyncshop.messaging.test.TestMessages.TestNotice;
import dev.asyncshop.testsupport.TestNames;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.connection.stream.StreamOffset;
import org.springframework.data.redis.core.StringRedisTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Broadcasts on Redis pub/sub, against the Redis on 127.0.0.1. */
class RedisBroadcastIntegrationTests {

  static final TestApp.Destinations TO = TestApp.Destinations.unique();
  static final String CHANNEL = TO.channel();
  static final String SERVICE = TestNames.unique("redis-service");

  static TestApp first;
  static TestApp second;

  @BeforeAll
  static void start() {
    first = TestApp.start(TestApp.baseProperties(SERVICE, TO));
    second = TestApp.start(TestApp.baseProperties(SERVICE, TO));
  }

  @AfterAll
  static void stop() {
    first.close();
    second.close();
  }

  @Test
  void broadcastReachesEveryInstanceWithEveryEnvelopeAttribute() {
    String text = "notice-" + UUID.randomUUID();
    first.gateway().broadcast(new TestNotice(text), MessageOptions.about("sku-1"));

    await()
        .atMost(10, TimeUnit.SECONDS)
        .until(
            () ->
                first.probe().handled(text).size() == 1
                    && second.probe().handled(text).size() == 1);
    Envelope envelope = second.probe().handled(text).get(0).envelope();
    assertThat(envelope.source()).isEqualTo("/asyncshop/" + SERVICE);
    assertThat(envelope.type()).isEqualTo("test.notice.v1");
    assertThat(envelope.time()).isBefore(Instant.now().plusSeconds(1));
    assertThat(envelope.subject()).isEqualTo("sku-1");
    assertThat(envelope.dataContentType()).isEqualTo("application/json");
    assertThat(envelope.correlationId()).isEqualTo(envelope.id());
    assertThat(envelope.traceparent()).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01");
    assertThat(envelope.partitionKey()).isEqualTo("sku-1");
    assertThat(first.probe().handled(text).get(0).envelope()).isEqualTo(envelope);
  }

  @Test
  void broadcastIsAStructuredCloudEventOnTheWire() throws Exception {
    String text = "wire-" + UUID.randomUUID();
    List<String> received = new java.util.concurrent.CopyOnWriteArrayList<>();
    StringRedisTemplate redis = first.bean(StringRedisTemplate.class);
    var container = new org.springframework.data.redis.listener.RedisMessageListenerContainer();
    container.setConnectionFactory(redis.getConnectionFactory());
    container.addMessageListener(
        (message, pattern) -> received.add(new String(message.getBody())),
        new org.springframework.data.redis.listener.ChannelTopic(CHANNEL));
    container.afterPropertiesSet();
    container.start();
    try {
      first.gateway().broadcast(new TestNotice(text));
      await().atMost(10, TimeUnit.SECONDS).until(() -> !received.isEmpty());
    } finally {
      container.stop();
      container.destroy();
    }
    JsonNode event = JsonMapper.builder().build().readTree(received.get(0));
    assertThat(event.get("specversion").asString()).isEqualTo("1.0");
    assertThat(event.get("type").asString()).isEqualTo("test.notice.v1");
    assertThat(event.get("datacontenttype").asString()).isEqualTo("application/json");
    assertThat(event.get("data").get("text").asString()).isEqualTo(text);
  }

  @Test
  void broadcastWhoseHandlerKeepsFailingIsKeptInARedisStream() {
    String text = "failing-notice-" + UUID.randomUUID();
    first.probe().alwaysFail(text);

    second.gateway().broadcast(new TestNotice(text));

    StringRedisTemplate redis = first.bean(StringRedisTemplate.class);
    String stream = CHANNEL + ".dlq";
    await()
        .atMost(10, TimeUnit.SECONDS)
        .until(
            () ->
                redis.opsForStream().read(StreamOffset.fromStart(stream)).stream()
                    .anyMatch(r -> String.valueOf(r.getValue().get("event")).contains(text)));
    MapRecord<String, Object, Object> deadLetter =
        redis.opsForStream().read(StreamOffset.fromStart(stream)).stream()
            .filter(r -> String.valueOf(r.getValue().get("event")).contains(text))
            .findFirst()
            .orElseThrow();
    Map<Object, Object> fields = deadLetter.getValue();
    assertThat(fields.get(DeadLetterHeaders.REASON)).isEqualTo("RETRIES_EXHAUSTED");
    assertThat(fields.get(DeadLetterHeaders.ATTEMPTS)).isEqualTo("4");
    assertThat(fields.get(DeadLetterHeaders.ORIGINAL_DESTINATION)).isEqualTo(CHANNEL);
    assertThat(fields.get(DeadLetterHeaders.EXCEPTION_CLASS))
        .isEqualTo(IllegalStateException.class.getName());
    assertThat(fields)
        .containsKeys(
            DeadLetterHeaders.FIRST_FAILURE_TIME,
            DeadLetterHeaders.LAST_FAILURE_TIME,
            DeadLetterHeaders.STACK_SUMMARY,
            DeadLetterHeaders.EXCEPTION_MESSAGE);
    // The other instance handled the same broadcast normally.
    await().atMost(5, TimeUnit.SECONDS).until(() -> second.probe().handled(text).size() == 1);
  }

  @Test
  void unreadableBroadcastIsKeptInTheStreamAsPoison() {
    StringRedisTemplate redis = first.bean(StringRedisTemplate.class);
    String marker = "garbage-" + UUID.randomUUID();
    redis.convertAndSend(CHANNEL, "this is not json " + marker);

    String stream = CHANNEL + ".dlq";
    await()
        .atMost(10, TimeUnit.SECONDS)
        .until(
            () ->
                redis.opsForStream().read(StreamOffset.fromStart(stream)).stream()
                        .filter(r -> String.valueOf(r.getValue().get("event")).contains(marker))
                        .filter(r -> "POISON".equals(r.getValue().get(DeadLetterHeaders.REASON)))
                        .count()
                    == 2);
  }
}
