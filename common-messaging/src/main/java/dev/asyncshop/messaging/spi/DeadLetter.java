package dev.asyncshop.messaging.spi;

import dev.asyncshop.messaging.DeadLetterHeaders;
import dev.asyncshop.messaging.DeadLetterReason;
import dev.asyncshop.messaging.Envelope;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Why and how a message failed, written beside it in its dead-letter destination.
 *
 * @param reason why it was given up
 * @param failure the last exception
 * @param attempts handler runs
 * @param destination where it came from
 * @param group the consumer group that gave up
 * @param firstFailure when it first failed
 * @param lastFailure when it last failed
 * @param envelope its envelope, when it could be read
 */
public record DeadLetter(
    DeadLetterReason reason,
    Throwable failure,
    int attempts,
    String destination,
    String group,
    Instant firstFailure,
    Instant lastFailure,
    @Nullable Envelope envelope) {

  /** The media type of {@link #describe()}, when a failed query's reply carries it. */
  public static final String FAILURE_CONTENT_TYPE = "text/plain";

  private static final int STACK_FRAMES = 8;

  /**
   * The dead letter of a message the pipeline gives up on: its attempts and failure times come from
   * the context; a message that never failed in its handler (poison, say) failed now.
   */
  public static DeadLetter of(
      ConsumerContext context, DeadLetterReason reason, Throwable failure, Instant now) {
    Instant first = context.firstFailure();
    Instant last = context.lastFailure();
    return new DeadLetter(
        reason,
        failure,
        context.attempts(),
        context.subscription().destination(),
        context.subscription().group(),
        first != null ? first : now,
        last != null ? last : now,
        context.envelope());
  }

  /** The {@link DeadLetterHeaders} of this dead letter, as strings. */
  public Map<String, String> headers() {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put(DeadLetterHeaders.REASON, reason.name());
    headers.put(DeadLetterHeaders.EXCEPTION_CLASS, failure.getClass().getName());
    headers.put(DeadLetterHeaders.EXCEPTION_MESSAGE, String.valueOf(failure.getMessage()));
    headers.put(DeadLetterHeaders.STACK_SUMMARY, stackSummary(failure));
    headers.put(DeadLetterHeaders.ATTEMPTS, Integer.toString(attempts));
    headers.put(DeadLetterHeaders.ORIGINAL_DESTINATION, destination);
    headers.put(DeadLetterHeaders.CONSUMER_GROUP, group);
    headers.put(DeadLetterHeaders.FIRST_FAILURE_TIME, firstFailure.toString());
    headers.put(DeadLetterHeaders.LAST_FAILURE_TIME, lastFailure.toString());
    return headers;
  }

  /** One line per frame, the exception itself first. */
  private static String stackSummary(Throwable failure) {
    return failure
        + Arrays.stream(failure.getStackTrace())
            .limit(STACK_FRAMES)
            .map(frame -> "\n\tat " + frame)
            .collect(Collectors.joining());
  }

  /** The exception as one short line, for logs and audit records. */
  public String describe() {
    return reason + ": " + failure.getClass().getSimpleName() + ": " + failure.getMessage();
  }
}
