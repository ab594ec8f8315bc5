/** The JDBC idempotency store, recording handled messages in the handler's own transaction. */
@NullMarked
package dev.asyncshop.messaging.jdbc;

import org.jspecify.annotations.NullMarked;
