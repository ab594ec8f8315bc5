package dev.asyncshop.messaging.audit;

/**
 * The first place a chain does not hold, named precisely.
 *
 * @param chain the chain's id
 * @param sequence the sequence number at which the chain breaks: the altered, duplicated or wrongly
 *     linked record's, or the first missing one's
 * @param partition the audit topic's partition of the record where the break shows (for a missing
 *     record, the one after it)
 * @param offset that record's offset in the partition
 * @param reason what is wrong
 * @param explanation the same in words, with the hashes or sequences involved
 */
public record BrokenLink(
    String chain, long sequence, int partition, long offset, Reason reason, String explanation) {

  /** What breaks a chain. */
  public enum Reason {
    /** A record's own hash does not match its content: it was changed after it was written. */
    ALTERED,
    /**
     * A record's previous hash does not match the record before it: that one was replaced, or
     * records were reordered, inserted or removed and renumbered.
     */
    LINK_MISMATCH,
    /** Sequence numbers are missing, and the writer declared no gap for them: removed. */
    MISSING,
    /** Two different records have the same sequence number: one was inserted. */
    DUPLICATE,
    /** A record carries a chain member that cannot be read (no sequence, no hash, ...). */
    UNREADABLE
  }
}
