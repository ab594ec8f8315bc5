package dev.asyncshop.messaging.testkit;

import dev.asyncshop.messaging.QueryTimeoutException;
import dev.asyncshop.messaging.Transport;
import dev.asyncshop.messaging.spi.ConsumerPipeline;
import dev.asyncshop.messaging.spi.ConsumerPipelines;
import dev.asyncshop.messaging.spi.Reply;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;

/**
 * Hands messages to the pipelines of the service's subscriptions, synchronously: when a send
 * returns, every message it set off has been handled, including what those handlers sent in turn. A
 * message sent while another is being handled waits until that one is done, as it would on a
 * broker, instead of running inside its sender's handler. Queries are the exception: their asker
 * waits for the answer, so they run at once.
 */
final class InMemoryBroker {

  private static final Logger log = LoggerFactory.getLogger(InMemoryBroker.class);

  private final ObjectProvider<ConsumerPipelines> pipelines;
  private final MessageJournal journal;
  private final Map<Transport, List<ConsumerPipeline>> subscriptions = new ConcurrentHashMap<>();
  private final Map<String, Function<InMemoryMessage, Reply>> queryAnswers =
      new ConcurrentHashMap<>();
  private final ThreadLocal<@Nullable Deque<InMemoryMessage>> pending = new ThreadLocal<>();

  /**
   * @param pipelines looked up on first use: they need the transports, which need this broker
   */
  InMemoryBroker(ObjectProvider<ConsumerPipelines> pipelines, MessageJournal journal) {
    this.pipelines = pipelines;
    this.journal = journal;
  }

  /** The pipelines of every consumer group that takes messages from the destination. */
  List<ConsumerPipeline> subscribers(Transport transport, String destination) {
    return subscriptions
        .computeIfAbsent(transport, t -> pipelines.getObject().forTransport(t))
        .stream()
        .filter(pipeline -> pipeline.subscription().destination().equals(destination))
        .toList();
  }

  /** Hands the message to every subscriber of its destination; none may be there. */
  void deliver(InMemoryMessage message) {
    Deque<InMemoryMessage> queue = pending.get();
    if (queue != null) {
      queue.add(message);
      return;
    }
    queue = new ArrayDeque<>();
    queue.add(message);
    pending.set(queue);
    try {
      for (InMemoryMessage next = queue.poll(); next != null; next = queue.poll()) {
        for (ConsumerPipeline pipeline : subscribers(next.transport(), next.destination())) {
          process(pipeline, next, null);
        }
      }
    } finally {
      pending.remove();
    }
  }

  /**
   * Asks a query: a handler of this service answers it if there is one, else an answer the test
   * gave; with neither, the query times out at once instead of after its route's timeout.
   */
  CompletableFuture<Reply> request(InMemoryMessage query) {
    List<ConsumerPipeline> answering = subscribers(query.transport(), query.destination());
    if (!answering.isEmpty()) {
      CompletableFuture<Reply> reply = new CompletableFuture<>();
      process(answering.get(0), query, reply);
      if (!reply.isDone()) {
        reply.completeExceptionally(
            new QueryTimeoutException("No reply to " + query.type() + " " + query.envelope().id()));
      }
      return reply;
    }
    Function<InMemoryMessage, Reply> answer = queryAnswers.get(query.type());
    if (answer == null) {
      return CompletableFuture.failedFuture(
          new QueryTimeoutException(
              ("Nothing answers %s on '%s' in this test: no handler of the service takes it, and"
                      + " the test gave no answer (MessagingTestKit.answer).")
                  .formatted(query.type(), query.destination())));
    }
    return CompletableFuture.completedFuture(answer.apply(query));
  }

  /** Answers queries of a type that no handler of the service answers. */
  void answer(String queryType, Function<InMemoryMessage, Reply> answer) {
    queryAnswers.put(queryType, answer);
  }

  void reset() {
    queryAnswers.clear();
  }

  private void process(
      ConsumerPipeline pipeline,
      InMemoryMessage message,
      @Nullable CompletableFuture<Reply> asker) {
    try {
      pipeline.process(new InMemoryDelivery(message, journal, asker));
    } catch (RuntimeException e) {
      // A broker would deliver it again; the test sees it instead.
      log.warn(
          "{} {} from {} was not acknowledged: {}",
          message.type(),
          message.envelope().id(),
          message.destination(),
          e.toString());
      journal.unacknowledged.add(new UnacknowledgedMessage(message, e));
    }
  }
}
