package dev.asyncshop.console.live;

import dev.asyncshop.console.ConsoleSettings;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import tools.jackson.databind.json.JsonMapper;

@Configuration(proxyBeanMethods = false)
class LiveOrdersConfiguration {

  @Bean
  LiveOrders liveOrders(JsonMapper json, ConsoleSettings settings) {
    return new LiveOrders(json, settings.liveOrders());
  }

  @Bean
  OrderStatusSubscription orderStatusSubscription(
      RedisConnectionFactory redis, LiveOrders liveOrders, ConsoleSettings settings) {
    return new OrderStatusSubscription(
        redis, liveOrders, settings.destinationPrefix() + settings.liveOrders().channel());
  }
}
