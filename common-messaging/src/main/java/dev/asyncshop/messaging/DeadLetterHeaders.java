package dev.asyncshop.messaging;

/**
 * Headers (Kafka, AMQP) or stream fields (Redis) that every dead letter carries, with the same
 * names on every transport so one tool can read them all.
 */
public final class DeadLetterHeaders {

  /** A {@link DeadLetterReason} name. */
  public static final String REASON = "dead-letter-reason";

  /** Fully qualified class of the last exception, if any. */
  public static final String EXCEPTION_CLASS = "dead-letter-exception-class";

  /** Message of the last exception, or what made the message poison. */
  public static final String EXCEPTION_MESSAGE = "dead-letter-exception-message";

  /** The first frames of the last exception's stack. */
  public static final String STACK_SUMMARY = "dead-letter-stack-summary";

  /** How many times the handler ran. */
  public static final String ATTEMPTS = "dead-letter-attempts";

  /** The queue, topic or channel the message was taken from. */
  public static final String ORIGINAL_DESTINATION = "dead-letter-original-destination";

  /** The consumer group that gave up on it. */
  public static final String CONSUMER_GROUP = "dead-letter-consumer-group";

  /** ISO-8601 instant of the first failure. */
  public static final String FIRST_FAILURE_TIME = "dead-letter-first-failure-time";

  /** ISO-8601 instant of the last failure. */
  public static final String LAST_FAILURE_TIME = "dead-letter-last-failure-time";

  private DeadLetterHeaders() {}
}
