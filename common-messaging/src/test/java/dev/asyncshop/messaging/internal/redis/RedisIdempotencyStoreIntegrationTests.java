package dev.asyncshop.messaging.internal.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.asyncshop.messaging.spi.IdempotencyStore.MessageInProgressException;
import dev.asyncshop.messaging.spi.IdempotencyStore.Outcome;
import dev.asyncshop.testsupport.Brokers;
import dev.asyncshop.testsupport.Endpoint;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/** The Redis idempotency store against the tests' Redis. */
class RedisIdempotencyStoreIntegrationTests {

  static LettuceConnectionFactory connectionFactory;
  static StringRedisTemplate redis;

  @BeforeAll
  static void connect() {
    Endpoint endpoint = Brokers.redis();
    connectionFactory =
        new LettuceConnectionFactory(
            new RedisStandaloneConfiguration(endpoint.host(), endpoint.port()));
    connectionFactory.afterPropertiesSet();
    connectionFactory.start();
    redis = new StringRedisTemplate(connectionFactory);
  }

  @AfterAll
  static void disconnect() {
    connectionFactory.destroy();
  }

  /** The store as configured with Lettuce: the done mark is not awaited. */
  private static RedisIdempotencyStore store() {
    return store(true);
  }

  private static RedisIdempotencyStore store(boolean markWithoutWaiting) {
    return new RedisIdempotencyStore(
        redis,
        markWithoutWaiting,
        "idempotency-test",
        Duration.ofSeconds(30),
        Duration.ofMinutes(5));
  }

  @ParameterizedTest(name = "done mark not awaited: {0}")
  @ValueSource(booleans = {true, false})
  void secondRunOfTheSameMessageIsADuplicate(boolean markWithoutWaiting) {
    RedisIdempotencyStore store = store(markWithoutWaiting);
    String id = UUID.randomUUID().toString();
    AtomicInteger runs = new AtomicInteger();

    assertThat(store.runOnce("group", id, runs::incrementAndGet)).isEqualTo(Outcome.HANDLED);
    assertThat(store.runOnce("group", id, runs::incrementAndGet)).isEqualTo(Outcome.DUPLICATE);
    assertThat(store.runOnce("other-group", id, runs::incrementAndGet)).isEqualTo(Outcome.HANDLED);
    assertThat(runs).hasValue(2);
    assertThat(redis.opsForValue().get("idempotency-test:group:" + id)).isEqualTo("done");
    assertThat(redis.getExpire("idempotency-test:group:" + id)).isGreaterThan(60);
  }

  @Test
  void failedRunReleasesTheClaimSoARetryCanRun() {
    String id = UUID.randomUUID().toString();

    assertThatThrownBy(
            () ->
                store()
                    .runOnce(
                        "group",
                        id,
                        () -> {
                          throw new IllegalStateException("boom");
                        }))
        .hasMessage("boom");
    assertThat(redis.hasKey("idempotency-test:group:" + id)).isFalse();
    assertThat(store().runOnce("group", id, () -> {})).isEqualTo(Outcome.HANDLED);
  }

  @Test
  void concurrentRunsOfTheSameMessageRunTheWorkOnce() throws Exception {
    String id = UUID.randomUUID().toString();
    AtomicInteger runs = new AtomicInteger();
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<String>> results = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        results.add(
            pool.submit(
                () -> {
                  start.await();
                  try {
                    return store()
                        .runOnce(
                            "group",
                            id,
                            () -> {
                              runs.incrementAndGet();
                              sleep(200);
                            })
                        .name();
                  } catch (MessageInProgressException e) {
                    return "IN_PROGRESS";
                  }
                }));
      }
      start.countDown();
      List<String> outcomes = new ArrayList<>();
      for (Future<String> result : results) {
        outcomes.add(result.get());
      }
      assertThat(runs).hasValue(1);
      assertThat(outcomes).containsOnlyOnce("HANDLED");
    } finally {
      pool.shutdownNow();
    }
    assertThat(store().runOnce("group", id, runs::incrementAndGet)).isEqualTo(Outcome.DUPLICATE);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
