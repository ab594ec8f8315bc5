package dev.asyncshop.messaging.spi;

/**
 * The order of each consumer step, outermost first. The library's steps leave gaps of a hundred, so
 * an application's step (or a later one of the library's) goes between two of them without moving
 * any. The steps marked <em>reserved</em> are not built yet; their places are kept so that steps
 * added meanwhile already sit where the architecture wants them.
 *
 * <p>The transport acknowledges the message after the whole chain returned, so acknowledging has no
 * step of its own.
 *
 * <p>{@link #SKIP_DUPLICATE} sits inside {@link #RETRY} because the JDBC idempotency store runs
 * each handler run in one transaction together with the record that the message was handled: a
 * failed run rolls back its writes and that record, and the next run starts a fresh transaction.
 * Outside the retries one transaction would span every run, and a failed run's writes would stay
 * for the next one.
 *
 * <p>Where a step sits decides what its exceptions do (see {@link ConsumerStep}): a step ordered
 * after {@link #RETRY} runs once per attempt, and any exception from it other than {@link
 * RejectedMessageException} counts as a handler failure and is retried. A step ordered before
 * {@link #DEAD_LETTER} is outside the dead-lettering: nothing catches its {@link
 * RejectedMessageException}, so the transport leaves the message unacknowledged and the broker
 * delivers it again, for ever. Such a step must not reject; it should only observe.
 */
public final class ConsumerStepOrder {

  /** Sends a query's reply, or its failure, to the asker once everything else is done. */
  public static final int ANSWER_QUERY = 100;

  /** Moves a message a later step rejected to its dead-letter destination. */
  public static final int DEAD_LETTER = 200;

  /** Reads the envelope and finds the route of its type; an unknown type is poison. */
  public static final int DESERIALIZE = 300;

  /**
   * Checks the sending service's signature unless {@code messaging.signing.verify} is off; in
   * {@code enforce} a message that fails goes to the dead letters before any later step reads it.
   */
  public static final int VERIFY_SIGNATURE = 400;

  /**
   * Decrypts an encrypted payload once its signature held, so a forged message is rejected before
   * any key is used on it; on a route with {@code encrypt: true} a payload that arrived in the
   * clear or cannot be decrypted goes to the dead letters, and later steps see only the plaintext.
   */
  public static final int DECRYPT = 500;

  /** Reserved: starts the consumer's tracing span. */
  public static final int TRACING_SPAN = 600;

  /**
   * Sees that the message's receipt is audited: by its {@code HANDLED} or {@code DUPLICATE_SKIPPED}
   * record when the first attempt ends that way, otherwise by a {@code RECEIVED} record before any
   * later step's ({@link dev.asyncshop.messaging.spi.AuditOutcome#RECEIVED}).
   */
  public static final int AUDIT_RECEIVED = 700;

  /**
   * Counts each message for the subscription's circuit breaker (handled, or given back because a
   * dependency is unavailable), and gives a message back at once while the breaker is open; the
   * transport meanwhile takes no messages ({@code messaging.circuit-breaker}).
   */
  public static final int CIRCUIT_BREAKER = 800;

  /** Finds the handler; ignores an event nobody here handles, rejects any other such message. */
  public static final int FIND_HANDLER = 900;

  /** Reads the payload into the handler's record; a payload that does not bind is poison. */
  public static final int READ_PAYLOAD = 1000;

  /** Counts and audits how the handling ended: handled or duplicate, and how long it took. */
  public static final int RECORD_OUTCOME = 1100;

  /**
   * Counts a handled message that is older than one already handled for its source and partition
   * key ({@code messaging.ordering.violations}); it only observes.
   */
  public static final int WATCH_KEY_ORDER = 1150;

  /** Turns a query handler's result into the reply. */
  public static final int ENCODE_REPLY = 1200;

  /**
   * Runs the rest again with backoff while it fails and may succeed; then rejects the message, or,
   * when a dependency is down, gives it back to the broker ({@link
   * DependencyUnavailableException}). Each run is the handling of the message ({@link
   * CurrentMessage}), so what the steps inside send joins its flow, also on the commit of the
   * duplicate check's transaction.
   */
  public static final int RETRY = 1300;

  /** Skips a message the consumer group already handled (events and commands). */
  public static final int SKIP_DUPLICATE = 1400;

  /** Runs the handler. */
  public static final int INVOKE_HANDLER = 1500;

  private ConsumerStepOrder() {}
}
