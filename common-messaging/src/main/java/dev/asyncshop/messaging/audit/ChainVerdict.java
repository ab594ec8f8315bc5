package dev.asyncshop.messaging.audit;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What one chain's records read show.
 *
 * @param chain the chain's id: {@code service/instance/start}
 * @param service the service that wrote it
 * @param records how many of its records were read
 * @param firstSequence the lowest sequence read
 * @param lastSequence the highest sequence read
 * @param startRead whether the chain's first record (sequence 1) was read; not when the reading
 *     began at a time after it, or retention deleted it
 * @param declaredGaps the records its writer declared lost
 * @param closed whether its closing record was read: the instance stopped cleanly, and when the
 *     chain holds, nothing of its end is missing. An open chain is a running instance's, or one
 *     that stopped without closing (killed, crashed): records it chained after the last one read
 *     may be lost without a declaration, which no reader can tell
 * @param pending why the chain's newest records were not judged, or {@code null}: records still on
 *     their way may make a live chain look as if it missed some for a moment
 * @param unknownTail why the chain's last records were not judged although none is young, or {@code
 *     null}: a chain without its closing record whose holes are all among records written within
 *     the settle time of its last one is the tail of a writer that stopped without closing (killed,
 *     out of memory), whose producer held records of it in batches for other partitions; those are
 *     lost, and not counted as removed
 * @param checkedFrom when retention deleted different periods of the topic on different partitions
 *     and this chain has records from before: the time from which its holes are judged; holes in
 *     front of older records are not, or {@code null}
 * @param brokenLink the first place the chain does not hold, or {@code null} when it holds
 * @param headHash the hash of the last record up to which the chain holds, in sequence order: the
 *     value to anchor somewhere its writers cannot change, and compare with a later reading
 */
public record ChainVerdict(
    String chain,
    String service,
    long records,
    long firstSequence,
    long lastSequence,
    boolean startRead,
    List<DeclaredGap> declaredGaps,
    boolean closed,
    @Nullable String pending,
    @Nullable String unknownTail,
    @Nullable Instant checkedFrom,
    @Nullable BrokenLink brokenLink,
    @Nullable String headHash) {

  /** The verdict in a word. */
  public enum Status {
    /** Every link read holds and the chain ended with its closing record. */
    CLOSED,
    /** Every link read holds; the chain has no closing record (yet). */
    OPEN,
    /** A link does not hold: see {@link #brokenLink()}. */
    BROKEN
  }

  public Status status() {
    if (brokenLink != null) {
      return Status.BROKEN;
    }
    return closed ? Status.CLOSED : Status.OPEN;
  }

  /** The verdict as one line, for a log or a terminal. */
  public String summary() {
    StringBuilder line = new StringBuilder();
    line.append(status()).append(' ').append(chain).append(": ").append(records).append(" records");
    line.append(", sequences ").append(firstSequence).append('-').append(lastSequence);
    if (!startRead) {
      line.append(" (its start was not read)");
    }
    if (!declaredGaps.isEmpty()) {
      line.append(", ").append(declaredGaps.size()).append(" declared gaps (");
      for (int i = 0; i < declaredGaps.size(); i++) {
        DeclaredGap gap = declaredGaps.get(i);
        line.append(i == 0 ? "" : ", ").append(gap.from());
        if (gap.to() > gap.from()) {
          line.append('-').append(gap.to());
        }
      }
      line.append(')');
    }
    if (checkedFrom != null) {
      line.append("; checked from ")
          .append(checkedFrom)
          .append(", where retention left every partition whole");
    }
    if (pending != null) {
      line.append("; ").append(pending);
    }
    if (unknownTail != null) {
      line.append("; ").append(unknownTail);
    }
    if (brokenLink != null) {
      line.append("; first broken link: sequence ")
          .append(brokenLink.sequence())
          .append(" at partition ")
          .append(brokenLink.partition())
          .append(" offset ")
          .append(brokenLink.offset())
          .append(", ")
          .append(brokenLink.reason())
          .append(": ")
          .append(brokenLink.explanation());
    }
    return line.toString();
  }
}
