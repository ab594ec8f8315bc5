package dev.asyncshop.messaging.testkit;

import dev.asyncshop.messaging.DeadLetterReason;
import dev.asyncshop.messaging.Envelope;
import dev.asyncshop.messaging.MessageKind;
import dev.asyncshop.messaging.MessageOptions;
import dev.asyncshop.messaging.MessageType;
import dev.asyncshop.messaging.MessagingProperties;
import dev.asyncshop.messaging.MessagingProperties.Route;
import dev.asyncshop.messaging.QueryFailedException;
import dev.asyncshop.messaging.spi.AuditOutcome;
import dev.asyncshop.messaging.spi.AuditRecord;
import dev.asyncshop.messaging.spi.ConsumerPipeline;
import dev.asyncshop.messaging.spi.DeadLetter;
import dev.asyncshop.messaging.spi.EnvelopeFactory;
import dev.asyncshop.messaging.spi.PayloadCodec;
import dev.asyncshop.messaging.spi.Reply;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * Drives a service's handlers over the in-memory transports and tells what they did. Inject it into
 * a {@link MessagingTest} (or a test with {@link AutoConfigureInMemoryMessaging}).
 *
 * <p>Into the service: {@link #send}, {@link #publish}, {@link #broadcast} and {@link #ask} play
 * another service sending a message of one of the service's routes; each returns once the message
 * and everything it set off were handled, so a test needs no waiting. {@link #deliver} hands over a
 * message again (a redelivery) or a broken one. {@link #answer} answers the queries the service
 * asks of others.
 *
 * <p>Out of the service, as lists for AssertJ: what its handlers {@link #handled}, how often they
 * were {@link #retries retried}, which duplicates were {@link #duplicatesSkipped skipped}, what was
 * {@link #deadLettered} and why, and what the service {@link #published}, {@link #sent}, {@link
 * #broadcasts broadcast}, {@link #asked} and {@link #answered}. Messages are read into the record
 * class the test names, whose {@link MessageType} gives the message type: the service's own record,
 * or a test's stand-in for another service's.
 *
 * <p>The kit is reset before each test method. A message left unacknowledged fails the kit's send
 * that set it off; one set off otherwise (a direct call of the service's code) fails the test at
 * its end, unless the test read it from {@link #unacknowledged}.
 */
public final class MessagingTestKit {

  /** The source of the messages a test sends into the service. */
  public static final String SOURCE = "messaging-test-kit";

  private final InMemoryBroker broker;
  private final MessageJournal journal;
  private final MessagingProperties properties;
  private final EnvelopeFactory envelopes;
  private final PayloadCodec codec;
  private final InMemoryIdempotencyStore idempotencyStore;
  private final Duration awaitTimeout;

  MessagingTestKit(
      InMemoryBroker broker,
      MessageJournal journal,
      MessagingProperties properties,
      EnvelopeFactory envelopes,
      PayloadCodec codec,
      InMemoryIdempotencyStore idempotencyStore,
      Duration awaitTimeout) {
    this.broker = broker;
    this.journal = journal;
    this.properties = properties;
    this.envelopes = envelopes;
    this.codec = codec;
    this.idempotencyStore = idempotencyStore;
    this.awaitTimeout = awaitTimeout;
  }

  // ---- into the service

  /** Sends a command to the service's queue for it, as another service would. */
  public InMemoryMessage send(Object command) {
    return send(command, MessageOptions.NONE);
  }

  public InMemoryMessage send(Object command, MessageOptions options) {
    return deliver(message(command, options, MessageKind.COMMAND));
  }

  /** Publishes an event on its topic, for every consumer group of the service. */
  public InMemoryMessage publish(Object event) {
    return publish(event, MessageOptions.NONE);
  }

  public InMemoryMessage publish(Object event, MessageOptions options) {
    return deliver(message(event, options, MessageKind.EVENT));
  }

  /** Broadcasts a notice on its channel. */
  public InMemoryMessage broadcast(Object notice) {
    return broadcast(notice, MessageOptions.NONE);
  }

  public InMemoryMessage broadcast(Object notice, MessageOptions options) {
    return deliver(message(notice, options, MessageKind.BROADCAST));
  }

  /**
   * Asks the service a query and returns its handler's reply.
   *
   * @throws QueryFailedException if the handler failed, as the asking service would see it
   */
  public <R> R ask(Object query, Class<R> replyType) {
    return ask(query, replyType, MessageOptions.NONE);
  }

  public <R> R ask(Object query, Class<R> replyType, MessageOptions options) {
    InMemoryMessage message = message(query, options, MessageKind.QUERY);
    requireSubscriber(message);
    int unacknowledged = journal.unacknowledged.size();
    Reply reply = join(broker.request(message));
    failOnUnacknowledged(unacknowledged);
    if (reply.failed()) {
      throw new QueryFailedException(
          "The handler of %s failed: %s"
              .formatted(message.type(), new String(reply.data(), StandardCharsets.UTF_8)));
    }
    return codec.read(reply.data(), replyType);
  }

  /**
   * Hands a message to every subscriber of its destination: again, to act out a redelivery, or
   * changed, to act out a broken one. Returns once it and everything it set off were handled.
   *
   * @throws AssertionError if the pipeline did not acknowledge it (a broker would redeliver it)
   */
  public InMemoryMessage deliver(InMemoryMessage message) {
    requireSubscriber(message);
    int unacknowledged = journal.unacknowledged.size();
    broker.deliver(message);
    failOnUnacknowledged(unacknowledged);
    return message;
  }

  /**
   * The message another service would send for this record, over the service's route for its type,
   * without delivering it.
   */
  public InMemoryMessage message(Object payload, MessageOptions options) {
    return message(payload, options, null);
  }

  /**
   * Answers the queries of a type that the service asks and none of its handlers answers. An
   * exception from the answer fails the query, as the other service's handler failing would. A
   * query with no answer times out at once.
   */
  public <Q> void answer(Class<Q> queryType, Function<? super Q, ?> answer) {
    String type = typeOf(queryType);
    String replyType = Route.replyTypeOf(type);
    broker.answer(
        type,
        query -> {
          try {
            Object reply = answer.apply(codec.read(query.data(), queryType));
            return new Reply(
                envelopes.reply(query.envelope(), replyType, Envelope.JSON),
                codec.write(reply),
                null);
          } catch (RuntimeException e) {
            return new Reply(
                envelopes.reply(query.envelope(), replyType, DeadLetter.FAILURE_CONTENT_TYPE),
                e.toString().getBytes(StandardCharsets.UTF_8),
                DeadLetterReason.NON_RETRYABLE);
          }
        });
  }

  // ---- out of the service

  /** The messages of this record's type a handler of the service ran for, in order. */
  public <T> List<T> handled(Class<T> type) {
    return read(handledMessages(type).stream().map(HandledMessage::data).toList(), type);
  }

  /** The messages of this record's type a handler ran for, with envelope and attempts. */
  public List<HandledMessage> handledMessages(Class<?> type) {
    return ofType(journal.handled, type, m -> m.envelope().type());
  }

  /** The messages of this type the service's consumer groups skipped as already handled. */
  public <T> List<T> duplicatesSkipped(Class<T> type) {
    return read(
        ofType(journal.duplicates, type, m -> m.envelope().type()).stream()
            .map(HandledMessage::data)
            .toList(),
        type);
  }

  /** How often handlers of this type ran again after failing, over all its messages. */
  public int retries(Class<?> type) {
    String messageType = typeOf(type);
    return (int)
        journal.audit.stream()
            .filter(record -> record.outcome() == AuditOutcome.RETRIED)
            .filter(record -> messageType.equals(record.type()))
            .count();
  }

  /** The messages of this type the service dead-lettered, with reason, failure and attempts. */
  public List<DeadLetteredMessage> deadLettered(Class<?> type) {
    return ofType(journal.deadLetters, type, DeadLetteredMessage::type);
  }

  /** Every dead letter, of any type, in order. */
  public List<DeadLetteredMessage> deadLetters() {
    return List.copyOf(journal.deadLetters);
  }

  /** The events of this type the service published, in order. */
  public <T> List<T> published(Class<T> type) {
    return outbound(type, MessageKind.EVENT);
  }

  /** The commands of this type the service sent, in order. */
  public <T> List<T> sent(Class<T> type) {
    return outbound(type, MessageKind.COMMAND);
  }

  /** The broadcasts of this type the service made, in order. */
  public <T> List<T> broadcasts(Class<T> type) {
    return outbound(type, MessageKind.BROADCAST);
  }

  /** The queries of this type the service asked, in order. */
  public <T> List<T> asked(Class<T> type) {
    return outbound(type, MessageKind.QUERY);
  }

  /** The replies the service gave to queries of this type; failed ones are left out. */
  public <R> List<R> answered(Class<?> queryType, Class<R> replyType) {
    return read(
        ofType(journal.answered, queryType, answered -> answered.query().type()).stream()
            .filter(answered -> !answered.reply().failed())
            .map(answered -> answered.reply().data())
            .toList(),
        replyType);
  }

  /** The queries the service answered or failed, with the replies. */
  public List<AnsweredQuery> answeredQueries() {
    return List.copyOf(journal.answered);
  }

  /** Everything the service sent, of every kind, in order, with envelopes. */
  public List<InMemoryMessage> outbound() {
    return List.copyOf(journal.outbound);
  }

  /**
   * Messages the pipeline gave back unacknowledged, such as one whose dead letter failed. Once read
   * here, they no longer fail the test at its end.
   */
  public List<UnacknowledgedMessage> unacknowledged() {
    List<UnacknowledgedMessage> unacknowledged = List.copyOf(journal.unacknowledged);
    journal.unacknowledgedSeen = unacknowledged.size();
    return unacknowledged;
  }

  /** The audit records the service wrote, in order. */
  public List<AuditRecord> audit() {
    return List.copyOf(journal.audit);
  }

  /** The idempotency store the service's consumer groups use in the test. */
  public InMemoryIdempotencyStore idempotencyStore() {
    return idempotencyStore;
  }

  /**
   * Runs the assertion until it passes or {@code messaging.test.await-timeout} is over, for what
   * the service does on threads of its own (a scheduler, a listener container). Deliveries the kit
   * makes need no waiting.
   */
  public void eventually(Runnable assertion) {
    long deadline = System.nanoTime() + awaitTimeout.toNanos();
    while (true) {
      try {
        assertion.run();
        return;
      } catch (AssertionError e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("Interrupted while waiting", e);
      }
    }
  }

  /** Forgets everything recorded, every answer given and every handled message id. */
  public void reset() {
    journal.clear();
    broker.reset();
    idempotencyStore.clear();
  }

  // ----

  private InMemoryMessage message(
      Object payload, MessageOptions options, @Nullable MessageKind kind) {
    String type = typeOf(payload.getClass());
    Route route =
        properties.routes().stream()
            .filter(candidate -> type.equals(candidate.type()))
            .findFirst()
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        ("The service has no route for %s; the kit sends only what its"
                                + " messaging.routes name.")
                            .formatted(type)));
    if (kind != null && route.kind() != kind) {
      throw new IllegalArgumentException(
          "%s is routed as a %s, not a %s; use the kit's method for a %s."
              .formatted(type, lower(route.kind()), lower(kind), lower(route.kind())));
    }
    Envelope created = envelopes.create(type, options);
    Envelope envelope =
        new Envelope(
            created.id(),
            SOURCE,
            created.type(),
            created.time(),
            created.subject(),
            created.dataContentType(),
            created.correlationId(),
            created.causationId(),
            created.traceparent(),
            created.partitionKey());
    return new InMemoryMessage(
        route.transport(),
        properties.destinationPrefix() + route.destination(),
        route.kind(),
        envelope,
        codec.write(payload));
  }

  private void requireSubscriber(InMemoryMessage message) {
    List<ConsumerPipeline> subscribers =
        broker.subscribers(message.transport(), message.destination());
    if (subscribers.isEmpty()) {
      throw new IllegalStateException(
          "No handler of the service takes messages from %s '%s' (for %s); is the handler in the test's context?"
              .formatted(message.transport(), message.destination(), message.type()));
    }
  }

  /**
   * Fails when a message was left unacknowledged that the test has not seen: one set off by
   * something other than the kit's own sends (a direct call of the service's code, a scheduler),
   * whose failure was only logged. Called once the test method ended.
   */
  void failOnUnseenUnacknowledged() {
    List<UnacknowledgedMessage> all = List.copyOf(journal.unacknowledged);
    List<UnacknowledgedMessage> unseen =
        all.subList(Math.min(journal.unacknowledgedSeen, all.size()), all.size());
    if (unseen.isEmpty()) {
      return;
    }
    journal.unacknowledgedSeen = all.size();
    throw new AssertionError(
        ("%d message(s) were neither handled nor dead-lettered, and a broker would deliver them"
                + " again: %s. Expected? Read them with MessagingTestKit.unacknowledged().")
            .formatted(
                unseen.size(),
                unseen.stream()
                    .map(
                        u ->
                            "%s %s (%s)"
                                .formatted(
                                    u.message().type(), u.message().envelope().id(), u.failure()))
                    .toList()),
        unseen.get(0).failure());
  }

  private void failOnUnacknowledged(int before) {
    List<UnacknowledgedMessage> now = journal.unacknowledged;
    if (now.size() > before) {
      journal.unacknowledgedSeen = now.size();
      UnacknowledgedMessage first = now.get(before);
      throw new AssertionError(
          "%s %s was neither handled nor dead-lettered; a broker would deliver it again"
              .formatted(first.message().type(), first.message().envelope().id()),
          first.failure());
    }
  }

  private <T> List<T> outbound(Class<T> type, MessageKind kind) {
    return read(
        ofType(journal.outbound, type, InMemoryMessage::type).stream()
            .filter(message -> message.kind() == kind)
            .map(InMemoryMessage::data)
            .toList(),
        type);
  }

  private static <E> List<E> ofType(
      List<E> entries, Class<?> type, Function<E, String> typeOfEntry) {
    String messageType = typeOf(type);
    Predicate<E> matches = entry -> messageType.equals(typeOfEntry.apply(entry));
    return entries.stream().filter(matches).toList();
  }

  private <T> List<T> read(List<byte[]> payloads, Class<T> type) {
    return payloads.stream().map(data -> codec.read(data, type)).toList();
  }

  private static String typeOf(Class<?> type) {
    MessageType annotation = type.getAnnotation(MessageType.class);
    if (annotation == null) {
      throw new IllegalArgumentException(
          type.getName() + " has no @MessageType; the kit finds messages by their type.");
    }
    return annotation.value();
  }

  private static String lower(MessageKind kind) {
    return kind.name().toLowerCase();
  }

  private static Reply join(CompletableFuture<Reply> reply) {
    try {
      return reply.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw e;
    }
  }
}
