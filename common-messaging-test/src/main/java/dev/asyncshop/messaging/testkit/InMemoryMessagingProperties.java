package dev.asyncshop.messaging.testkit;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the in-memory test kit, under {@code messaging.test.*}.
 *
 * @param retryDelay the wait between two runs of a failing handler, replacing every route's backoff
 *     (its number of retries and non-retryable exceptions stay as configured), so retries cost a
 *     test next to nothing
 * @param awaitTimeout how long {@link MessagingTestKit#eventually} retries an assertion
 */
@ConfigurationProperties("messaging.test")
public record InMemoryMessagingProperties(
    @DefaultValue("1ms") Duration retryDelay, @DefaultValue("5s") Duration awaitTimeout) {}
