package dev.asyncshop.messaging.projection;

/** Where a generation of a projection is in its life. */
public enum GenerationState {
  /** Being written from the first record, beside the active one; readers do not see it yet. */
  BUILDING,
  /** What readers see; it follows its topics as they grow. */
  ACTIVE,
  /** Replaced by a newer generation; its schema is dropped. */
  RETIRED
}
