package dev.asyncshop.order.web;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;

/**
 * Remembers the access tokens it verified until they expire. A client sends the same bearer token
 * with every request until it needs a new one; checking its RSA signature and converting its claims
 * again each time was the largest single cost of following an order over REST. A remembered token
 * is answered only while its expiry is ahead, and the key is the whole token, the very bytes whose
 * signature was verified, so nothing the decoder would refuse is let through; a token it refused is
 * never remembered and is refused again by it.
 *
 * <p>Bounded: when full it forgets everything and starts again, which costs each client one
 * verification; a token lives minutes, so the entries of expired ones are dropped as they are met.
 */
final class VerifiedTokens implements JwtDecoder {

  static final int CAPACITY = 10_000;

  private final JwtDecoder decoder;
  private final Clock clock;
  private final Map<String, Jwt> verified = new ConcurrentHashMap<>();

  VerifiedTokens(JwtDecoder decoder, Clock clock) {
    this.decoder = decoder;
    this.clock = clock;
  }

  @Override
  public Jwt decode(String token) throws JwtException {
    Instant now = clock.instant();
    Jwt known = verified.get(token);
    if (known != null) {
      if (unexpired(known, now)) {
        return known;
      }
      verified.remove(token, known);
    }
    Jwt jwt = decoder.decode(token);
    if (unexpired(jwt, now)) {
      if (verified.size() >= CAPACITY) {
        verified.clear();
      }
      verified.put(token, jwt);
    }
    return jwt;
  }

  /** A token without an expiry is verified every time. */
  private static boolean unexpired(Jwt jwt, Instant now) {
    Instant expiresAt = jwt.getExpiresAt();
    return expiresAt != null && now.isBefore(expiresAt);
  }
}
