/**
 * The audit trail's hash chains: the byte form every chained audit record is hashed in, and the
 * verifier that reads the audit topic and says, for each chain, whether it holds.
 */
@NullMarked
package dev.asyncshop.messaging.audit;

import org.jspecify.annotations.NullMarked;
