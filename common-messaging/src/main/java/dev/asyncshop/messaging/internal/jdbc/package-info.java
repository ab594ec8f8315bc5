/** The JDBC idempotency store (in the handler's own transaction) and the transactional outbox. */
@NullMarked
package dev.asyncshop.messaging.internal.jdbc;

import org.jspecify.annotations.NullMarked;
