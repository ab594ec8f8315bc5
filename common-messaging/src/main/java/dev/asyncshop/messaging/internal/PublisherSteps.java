package dev.asyncshop.messaging.internal;

import dev.asyncshop.messaging.spi.PublisherStep;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** The library's publisher steps and the application's, in order, around a transport's send. */
final class PublisherSteps {

  private final PublisherStep[] steps;

  /**
   * @param builtIn the library's steps
   * @param added the application's; on equal orders they run after the library's
   */
  PublisherSteps(List<PublisherStep> builtIn, List<PublisherStep> added) {
    List<PublisherStep> all = new ArrayList<>(builtIn);
    all.addAll(added);
    all.sort(Comparator.comparingInt(PublisherStep::getOrder));
    this.steps = all.toArray(PublisherStep[]::new);
  }

  /** The steps in the order they run. */
  List<PublisherStep> steps() {
    return List.of(steps);
  }

  /**
   * Every step wrapped around the given send. A send that throws instead of failing its future
   * fails it all the same, so the steps see every outcome.
   */
  PublisherStep.Chain around(PublisherStep.Chain send) {
    PublisherStep.Chain next =
        message -> {
          try {
            return send.publish(message);
          } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
          }
        };
    for (int i = steps.length - 1; i >= 0; i--) {
      PublisherStep step = steps[i];
      PublisherStep.Chain after = next;
      next = message -> step.publish(message, after);
    }
    return next;
  }
}
