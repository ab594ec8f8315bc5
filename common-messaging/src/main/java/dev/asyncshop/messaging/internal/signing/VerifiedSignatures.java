package dev.asyncshop.messaging.internal.signing;

import dev.asyncshop.messaging.audit.AuditChain;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Signatures this process already knows to hold: those it checked, and those it made.
 *
 * <p>One message is often checked several times in one service: every projection reading a topic
 * checks each event it reads, a redelivered message is checked again, and a service that hears its
 * own broadcasts or projects its own events checks signatures it made itself. An Ed25519 check
 * costs tens of microseconds once compiled and far more before, where a SHA-256 of the same bytes
 * costs a few. So a signature that held is remembered with the digest of the canonical form it
 * covers, and a later message with the same key id, signature and digest holds without checking
 * again: to pass, a changed message would need a SHA-256 collision. Everything else about the
 * message (its key's expiry, its sender) is still checked every time, by {@link MessageSignatures}.
 *
 * <p>The memory is bounded: when {@link #CAPACITY} signatures are remembered, all are forgotten at
 * once. Forgetting only costs checks, and a recent message is what is read again.
 */
final class VerifiedSignatures {

  /** About 300 bytes each (the signature's text, the key id, the digest), so about a megabyte. */
  static final int CAPACITY = 4096;

  private record Held(String keyId, byte[] digest) {}

  private static final ThreadLocal<MessageDigest> SHA_256 =
      ThreadLocal.withInitial(AuditChain::sha256);

  private final Map<String, Held> held = new ConcurrentHashMap<>();

  /** Whether this signature by this key is known to hold over exactly these bytes. */
  boolean holds(String keyId, String signature, byte[] canonicalForm) {
    Held known = held.get(signature);
    return known != null
        && known.keyId().equals(keyId)
        && Arrays.equals(known.digest(), digest(canonicalForm));
  }

  /** Remembers a signature that holds: one this process checked, or made. */
  void remember(String keyId, String signature, byte[] canonicalForm) {
    if (held.size() >= CAPACITY) {
      held.clear();
    }
    held.put(signature, new Held(keyId, digest(canonicalForm)));
  }

  int size() {
    return held.size();
  }

  private static byte[] digest(byte[] bytes) {
    return SHA_256.get().digest(bytes);
  }
}
