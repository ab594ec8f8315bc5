package dev.asyncshop.messaging.internal.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.asyncshop.messaging.Envelope;
import dev.asyncshop.messaging.HandleMessage;
import dev.asyncshop.messaging.test.TestMessages.TestNotice;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * {@link RedisSubscriber} with Redis away: the application starts, and stops, without it. No broker
 * is reached; {@code RedisSubscriberIntegrationTests} has the subscription once Redis answers.
 */
@ExtendWith(OutputCaptureExtension.class)
class RedisSubscriberTests {

  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class Application {

    @Bean
    NoticeHandler noticeHandler() {
      return new NoticeHandler();
    }
  }

  static class NoticeHandler {

    @HandleMessage
    void on(TestNotice notice, Envelope envelope) {}
  }

  @Test
  void anApplicationStartsAndStopsPromptlyWhileRedisIsAway(CapturedOutput output)
      throws IOException {
    startAndStop(runner(closedPort()), output);
  }

  /**
   * Redis slow, as it was when a service failed to start: the port takes the connection but nothing
   * answers, so Lettuce gives up on the handshake after {@code spring.data.redis.timeout}.
   */
  @Test
  void anApplicationStartsAndStopsPromptlyWhileRedisDoesNotAnswer(CapturedOutput output)
      throws IOException {
    try (ServerSocket silent = new ServerSocket(0)) {
      startAndStop(
          runner(silent.getLocalPort()).withPropertyValues("spring.data.redis.timeout=2s"), output);
    }
  }

  private static void startAndStop(ApplicationContextRunner runner, CapturedOutput output) {
    runner.run(
        context -> {
          assertThat(context).hasNotFailed();
          RedisSubscriber subscriber = context.getBean(RedisSubscriber.class);
          assertThat(subscriber.isRunning()).isTrue();
          assertThat(subscriber.subscribed()).isFalse();
          await()
              .atMost(Duration.ofSeconds(10))
              .until(
                  () -> output.getOut().contains("Cannot subscribe to Redis channels [notices]"));
          stopPromptly(subscriber);

          Instant starting = Instant.now();
          subscriber.start();
          assertThat(Duration.between(starting, Instant.now()))
              .isLessThan(RedisSubscriber.FIRST_ATTEMPT_WAIT.plusSeconds(1));
          assertThat(subscriber.isRunning()).isTrue();
          assertThat(subscriber.subscribed()).isFalse();
          stopPromptly(subscriber);
        });
    assertThat(output.getOut()).doesNotContain("Subscribed to Redis channels");
  }

  private static void stopPromptly(RedisSubscriber subscriber) {
    Instant stopping = Instant.now();
    subscriber.stop();
    assertThat(Duration.between(stopping, Instant.now())).isLessThan(RedisSubscriber.STOP_WAIT);
    assertThat(subscriber.isRunning()).isFalse();
    assertThat(subscriber.subscribed()).isFalse();
  }

  private static ApplicationContextRunner runner(int redisPort) {
    return new ApplicationContextRunner()
        .withUserConfiguration(Application.class)
        .withPropertyValues(
            "spring.autoconfigure.exclude="
                + "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
            // Closed ports: nothing listens there, so every connection is refused at once.
            "spring.kafka.bootstrap-servers=127.0.0.1:1",
            "spring.rabbitmq.port=1",
            "spring.data.redis.port=" + redisPort,
            "spring.kafka.admin.auto-create=false",
            "messaging.service-name=redis-away-test",
            "management.otlp.metrics.export.enabled=false",
            "messaging.audit.kafka=false",
            // SpringApplication turns these on through the library's environment defaults; a
            // bare context runner applies no environment post-processors.
            "spring.rabbitmq.publisher-confirm-type=correlated",
            "spring.rabbitmq.publisher-returns=true",
            "messaging.routes[0].type=test.notice.v1",
            "messaging.routes[0].kind=broadcast",
            "messaging.routes[0].transport=redis",
            "messaging.routes[0].destination=notices");
  }

  private static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
