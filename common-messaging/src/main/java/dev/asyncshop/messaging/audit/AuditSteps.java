package dev.asyncshop.messaging.audit;

import java.util.List;

/**
 * What happened to one business flow (a correlation id: for an order, the order's id) across every
 * service, from the audit-trail projection: every audit record of the audit topic, kept in this
 * service's database and rebuildable from the topic like any projection ({@code
 * messaging.projections.audit-trail.enabled}). Older records than the topic keeps are in it as long
 * as its generation lives; a rebuild keeps only what the topic still holds.
 */
public interface AuditSteps {

  /** The projection's name, for {@code /ops/projections/audit-trail}. */
  String PROJECTION = "audit-trail";

  /**
   * The flow's steps in the order they happened, at most {@code limit}.
   *
   * @throws IllegalStateException if the projection has not made its first generation yet
   */
  List<AuditStep> of(String correlationId, int limit);
}
