/**
 * Signs every message this service sends with its Ed25519 key, and checks the signature of every
 * message it receives before any handler runs.
 */
@NullMarked
package dev.asyncshop.messaging.internal.signing;

import org.jspecify.annotations.NullMarked;
