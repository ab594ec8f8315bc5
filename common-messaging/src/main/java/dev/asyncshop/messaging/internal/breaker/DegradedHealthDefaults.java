package dev.asyncshop.messaging.internal.breaker;

import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Ranks the breakers' {@code DEGRADED} health between {@code DOWN} and {@code UP} unless the
 * application orders the statuses itself ({@code management.endpoint.health.status.order}). Spring
 * Boot puts a status it does not know first, so without this one paused consumer would hide a
 * broker that is down. {@code DEGRADED} answers HTTP 200 as every status without a mapping does; a
 * mapping for it alone would replace the 503s of {@code DOWN} and {@code OUT_OF_SERVICE}.
 */
class DegradedHealthDefaults implements EnvironmentPostProcessor {

  static final String SOURCE_NAME = "messagingHealthDefaults";

  @Override
  public void postProcessEnvironment(
      ConfigurableEnvironment environment, SpringApplication application) {
    environment
        .getPropertySources()
        .addLast(
            new MapPropertySource(
                SOURCE_NAME,
                Map.of(
                    "management.endpoint.health.status.order",
                    "DOWN,OUT_OF_SERVICE,DEGRADED,UP,UNKNOWN")));
  }
}
