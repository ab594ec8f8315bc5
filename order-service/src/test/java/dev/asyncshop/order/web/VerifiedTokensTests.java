package dev.asyncshop.order.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;

class VerifiedTokensTests {

  static final Instant NOW = Instant.parse("2026-12-04T10:00:00Z");

  /** Decodes "good-..." tokens expiring five minutes after NOW, refuses every other one. */
  static final class CountingDecoder implements JwtDecoder {

    final AtomicInteger calls = new AtomicInteger();
    Instant expiresAt = NOW.plus(Duration.ofMinutes(5));

    @Override
    public Jwt decode(String token) {
      calls.incrementAndGet();
      if (!token.startsWith("good-")) {
        throw new BadJwtException("refused " + token);
      }
      Jwt.Builder jwt =
          Jwt.withTokenValue(token).header("alg", "RS256").subject("carla").issuedAt(NOW);
      if (expiresAt != null) {
        jwt.expiresAt(expiresAt);
      }
      return jwt.build();
    }
  }

  final CountingDecoder decoder = new CountingDecoder();

  VerifiedTokens at(Instant now) {
    return new VerifiedTokens(decoder, Clock.fixed(now, ZoneOffset.UTC));
  }

  @Test
  void aTokenIsVerifiedOnceWhileItHasNotExpired() {
    VerifiedTokens tokens = at(NOW);

    Jwt first = tokens.decode("good-1");
    Jwt again = tokens.decode("good-1");
    tokens.decode("good-2");

    assertThat(again).isSameAs(first);
    assertThat(decoder.calls).hasValue(2);
  }

  @Test
  void aTokenThatHadExpiredWhenItWasDecodedIsNotRemembered() {
    VerifiedTokens tokens = at(NOW);
    tokens.decode("good-1");

    VerifiedTokens later =
        new VerifiedTokens(decoder, Clock.fixed(NOW.plus(Duration.ofMinutes(6)), ZoneOffset.UTC));
    later.decode("good-1");
    later.decode("good-1");

    assertThat(decoder.calls).hasValue(3);
  }

  @Test
  void aRememberedTokenIsNotAnsweredOnceItsExpiryHasPassed() {
    MutableClock clock = new MutableClock(NOW);
    VerifiedTokens tokens = new VerifiedTokens(decoder, clock);
    tokens.decode("good-1");

    clock.now = NOW.plus(Duration.ofMinutes(5));
    tokens.decode("good-1");

    assertThat(decoder.calls).hasValue(2);
  }

  @Test
  void aTokenIsVerifiedAgainAfterTheTrustedTimeEvenBeforeItExpires() {
    decoder.expiresAt = NOW.plus(Duration.ofHours(1));
    MutableClock clock = new MutableClock(NOW);
    VerifiedTokens tokens = new VerifiedTokens(decoder, clock);
    tokens.decode("good-1");

    clock.now = NOW.plus(VerifiedTokens.TRUST).minusSeconds(1);
    tokens.decode("good-1");
    clock.now = NOW.plus(VerifiedTokens.TRUST);
    tokens.decode("good-1");

    assertThat(decoder.calls).hasValue(2);
  }

  @Test
  void whenFullItDropsTheEntriesWhoseTimeIsUpFirst() {
    MutableClock clock = new MutableClock(NOW);
    VerifiedTokens tokens = new VerifiedTokens(decoder, clock);
    tokens.decode("good-old");
    clock.now = NOW.plus(VerifiedTokens.TRUST);
    decoder.expiresAt = clock.now.plus(Duration.ofMinutes(5));
    for (int i = 0; i < VerifiedTokens.CAPACITY - 1; i++) {
      tokens.decode("good-" + i);
    }
    int calls = decoder.calls.get();

    tokens.decode("good-new");
    tokens.decode("good-0");
    tokens.decode("good-new");

    assertThat(decoder.calls).hasValue(calls + 1);
  }

  @Test
  void aRefusedTokenIsRefusedByTheDecoderEveryTime() {
    VerifiedTokens tokens = at(NOW);

    assertThatThrownBy(() -> tokens.decode("forged")).isInstanceOf(BadJwtException.class);
    assertThatThrownBy(() -> tokens.decode("forged")).isInstanceOf(BadJwtException.class);

    assertThat(decoder.calls).hasValue(2);
  }

  @Test
  void aTokenWithoutExpiryIsVerifiedEveryTime() {
    decoder.expiresAt = null;
    VerifiedTokens tokens = at(NOW);

    tokens.decode("good-1");
    tokens.decode("good-1");

    assertThat(decoder.calls).hasValue(2);
  }

  @Test
  void whenFullItStartsAgain() {
    VerifiedTokens tokens = at(NOW);
    for (int i = 0; i < VerifiedTokens.CAPACITY + 1; i++) {
      tokens.decode("good-" + i);
    }

    tokens.decode("good-" + VerifiedTokens.CAPACITY);
    tokens.decode("good-0");

    assertThat(decoder.calls).hasValue(VerifiedTokens.CAPACITY + 2);
  }

  static final class MutableClock extends Clock {

    Instant now;

    MutableClock(Instant now) {
      this.now = now;
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }
}
