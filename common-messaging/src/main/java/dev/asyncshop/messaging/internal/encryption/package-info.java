/**
 * Encrypts the payload of every route with {@code encrypt: true} before it is signed and sent, and
 * decrypts it once its signature held and before any handler runs: AES-256-GCM under a fresh data
 * key per message, wrapped by a master key that has an id.
 */
@NullMarked
package dev.asyncshop.messaging.internal.encryption;

import org.jspecify.annotations.NullMarked;
