package dev.asyncshop.order.web;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;

/**
 * Remembers the access tokens it verified, for a few minutes at most. A client sends the same
 * bearer token with every request until it needs a new one; checking its RSA signature and
 * converting its claims again each time was the largest single cost of following an order over
 * REST. The key is the whole token, the very bytes whose signature, issuer, audience and times were
 * checked; a token the decoder refused is never remembered and is refused again by it.
 *
 * <p>A remembered token is answered until its expiry or {@link #TRUST}, whichever comes first: the
 * decoder fetches the authorization server's keys again when they change, and a key taken out of
 * the set stops a token it signed within that time here too, as it would within the decoder's own
 * refresh of the key set.
 *
 * <p>Bounded: when full, it drops the entries whose time is up, and forgets everything only if that
 * is not enough, which costs each client one verification.
 */
final class VerifiedTokens implements JwtDecoder {

  static final int CAPACITY = 10_000;

  /** How long a verified token is answered without asking the decoder again. */
  static final Duration TRUST = Duration.ofMinutes(5);

  private record Verified(Jwt jwt, Instant until) {}

  private final JwtDecoder decoder;
  private final Clock clock;
  private final Map<String, Verified> verified = new ConcurrentHashMap<>();

  VerifiedTokens(JwtDecoder decoder, Clock clock) {
    this.decoder = decoder;
    this.clock = clock;
  }

  @Override
  public Jwt decode(String token) throws JwtException {
    Instant now = clock.instant();
    Verified known = verified.get(token);
    if (known != null) {
      if (now.isBefore(known.until())) {
        return known.jwt();
      }
      verified.remove(token, known);
    }
    Jwt jwt = decoder.decode(token);
    Instant expiresAt = jwt.getExpiresAt();
    // A token without an expiry is verified every time.
    if (expiresAt != null && now.isBefore(expiresAt)) {
      Instant trustedUntil = now.plus(TRUST);
      if (verified.size() >= CAPACITY) {
        verified.values().removeIf(entry -> !now.isBefore(entry.until()));
        if (verified.size() >= CAPACITY) {
          verified.clear();
        }
      }
      verified.put(
          token, new Verified(jwt, expiresAt.isBefore(trustedUntil) ? expiresAt : trustedUntil));
    }
    return jwt;
  }
}
