package dev.asyncshop.benchmarks;

import dev.asyncshop.benchmarks.BenchMessages.RawMessage;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.springframework.core.task.support.TaskExecutorAdapter;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;
import tools.jackson.databind.json.JsonMapper;

/**
 * Plain Spring Data Redis pub/sub: {@code convertAndSend} of the JSON text, and a listener
 * container dispatching on one thread, so that notices are handled in the order Redis delivered
 * them, as the library does.
 */
final class RawRedis implements AutoCloseable {

  private final String channel;
  private final JsonMapper json;
  private final LettuceConnectionFactory connectionFactory;
  private final StringRedisTemplate template;
  private final RedisMessageListenerContainer container;
  private final ExecutorService dispatcher = Executors.newSingleThreadExecutor();

  RawRedis(String channel, JsonMapper json, Slot slot) {
    this.channel = channel;
    this.json = json;
    connectionFactory =
        new LettuceConnectionFactory(new RedisStandaloneConfiguration(Brokers.HOST, 6379));
    connectionFactory.afterPropertiesSet();
    connectionFactory.start();
    template = new StringRedisTemplate(connectionFactory);
    container = new RedisMessageListenerContainer();
    container.setConnectionFactory(connectionFactory);
    container.setTaskExecutor(new TaskExecutorAdapter(dispatcher));
    container.addMessageListener(
        (message, pattern) -> {
          RawMessage received =
              json.readValue(
                  new String(message.getBody(), StandardCharsets.UTF_8), RawMessage.class);
          slot.handled(received.phase(), received.sentNanos());
        },
        new ChannelTopic(channel));
    container.afterPropertiesSet();
    container.start();
  }

  void send(int phase, long sentNanos) {
    template.convertAndSend(
        channel, json.writeValueAsString(new RawMessage(phase, sentNanos, BenchMessages.BODY)));
  }

  String serverVersion() {
    var info = template.execute(connection -> connection.serverCommands().info("server"), true);
    return info == null ? "?" : info.getProperty("redis_version", "?");
  }

  @Override
  public void close() throws Exception {
    container.stop();
    container.destroy();
    dispatcher.shutdown();
    connectionFactory.destroy();
  }
}
