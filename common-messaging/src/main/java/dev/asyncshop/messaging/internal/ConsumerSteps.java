package dev.asyncshop.messaging.internal;

import dev.asyncshop.messaging.spi.ConsumeResult;
import dev.asyncshop.messaging.spi.ConsumerStep;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The library's consumer steps and the application's, in order: each step wraps the ones after it,
 * and the chain is linked once, so a message costs one call per step and no lookup.
 */
final class ConsumerSteps {

  /** After the last step: everything ran. */
  private static final ConsumerStep.Chain END = context -> ConsumeResult.HANDLED;

  private final List<ConsumerStep> steps;
  private final ConsumerStep.Chain chain;

  /**
   * @param builtIn the library's steps
   * @param added the application's; on equal orders they run after the library's
   */
  ConsumerSteps(List<ConsumerStep> builtIn, List<ConsumerStep> added) {
    List<ConsumerStep> all = new ArrayList<>(builtIn);
    all.addAll(added);
    all.sort(Comparator.comparingInt(ConsumerStep::getOrder));
    this.steps = List.copyOf(all);
    ConsumerStep.Chain next = END;
    for (int i = steps.size() - 1; i >= 0; i--) {
      ConsumerStep step = steps.get(i);
      ConsumerStep.Chain after = next;
      next = context -> step.process(context, after);
    }
    this.chain = next;
  }

  /** The steps in the order they run. */
  List<ConsumerStep> steps() {
    return steps;
  }

  /** The first step, wrapped around all the others. */
  ConsumerStep.Chain chain() {
    return chain;
  }
}
