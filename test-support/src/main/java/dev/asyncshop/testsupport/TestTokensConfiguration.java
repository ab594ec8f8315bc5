package dev.asyncshop.testsupport;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.security.oauth2.jwt.JwtDecoder;

/**
 * A service under test accepts the tokens of {@link #TOKENS} instead of fetching the authorization
 * server's keys: import it, and send {@code TOKENS.bearer(...)} as the {@code Authorization}
 * header. Signatures, issuer and expiry are checked as in production.
 */
@TestConfiguration(proxyBeanMethods = false)
public class TestTokensConfiguration {

  /** One key per test JVM: tokens made anywhere in the tests are accepted by every context. */
  public static final TestTokens TOKENS = TestTokens.generate();

  @Bean
  JwtDecoder testTokenDecoder() {
    return TOKENS.decoder();
  }
}
