/**
 * The audit timeline of one business flow: every service's audit records of one correlation id,
 * read from the audit topic.
 */
@NullMarked
package dev.asyncshop.console.audit;

import org.jspecify.annotations.NullMarked;
