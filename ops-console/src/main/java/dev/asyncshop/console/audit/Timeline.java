package dev.asyncshop.console.audit;

import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The audit records of one business flow, oldest first.
 *
 * @param correlationId the flow (an order's id, for everything about that order)
 * @param window how far back the records were looked for
 * @param entries what was found
 * @param scanned how many records of the flow's partition were read to find them
 * @param incomplete why the reading stopped before the end of the partition, or {@code null} when
 *     every record of the window was read
 * @param source where the records came from: the audit-trail projection of a service (every record
 *     it keeps, however old), or {@code null} for the audit topic read in the window
 */
public record Timeline(
    String correlationId,
    Duration window,
    List<AuditEntry> entries,
    long scanned,
    @Nullable String incomplete,
    @Nullable String source) {

  /** Read from the audit topic, in the window. */
  public Timeline(
      String correlationId,
      Duration window,
      List<AuditEntry> entries,
      long scanned,
      @Nullable String incomplete) {
    this(correlationId, window, entries, scanned, incomplete, null);
  }
}
