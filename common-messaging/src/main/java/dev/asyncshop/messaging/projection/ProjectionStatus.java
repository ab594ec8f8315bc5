package dev.asyncshop.messaging.projection;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A projection and its generations that still have tables.
 *
 * @param name the projection
 * @param topics the Kafka topics it reads
 * @param generations the active one and the one being built, if any, newest first
 */
public record ProjectionStatus(String name, List<String> topics, List<Generation> generations) {

  public ProjectionStatus {
    topics = List.copyOf(topics);
    generations = List.copyOf(generations);
  }

  /** The generation readers see; none before the first one was made. */
  public @Nullable Generation active() {
    return generations.stream()
        .filter(g -> g.state() == GenerationState.ACTIVE)
        .findFirst()
        .orElse(null);
  }

  /** The generation being built, if a rebuild is under way. */
  public @Nullable Generation building() {
    return generations.stream()
        .filter(g -> g.state() == GenerationState.BUILDING)
        .findFirst()
        .orElse(null);
  }
}
