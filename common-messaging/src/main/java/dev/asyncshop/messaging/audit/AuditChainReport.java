package dev.asyncshop.messaging.audit;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One reading of the audit topic by {@link AuditChainVerifier}.
 *
 * @param topic the audit topic
 * @param since the time the reading started from, or {@code null} for the topic's beginning
 * @param readAt when the reading began; records written after it were not read
 * @param recordsRead how many records were read
 * @param unchained how many of them carry no chain (written before chains, or by another tool)
 * @param chains a verdict for every chain read, broken ones first
 * @param incomplete why the reading stopped before the end offsets it began with, or {@code null}
 *     when it read everything up to them; a chain's missing records may then only be unread
 */
public record AuditChainReport(
    String topic,
    @Nullable Instant since,
    Instant readAt,
    long recordsRead,
    long unchained,
    List<ChainVerdict> chains,
    @Nullable String incomplete) {

  /** Whether any chain read is broken. */
  public boolean broken() {
    return chains.stream().anyMatch(chain -> chain.brokenLink() != null);
  }
}
