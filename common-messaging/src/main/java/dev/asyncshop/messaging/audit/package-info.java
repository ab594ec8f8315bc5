/**
 * The audit trail's hash chains: the byte form every chained audit record is hashed in, and the
 * verifier that reads the audit topic and says, for each chain, whether it holds; and {@link
 * dev.asyncshop.messaging.audit.AuditSteps}, what happened to one business flow across all
 * services, from the audit-trail projection.
 */
@NullMarked
package dev.asyncshop.messaging.audit;

import org.jspecify.annotations.NullMarked;
