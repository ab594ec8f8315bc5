package dev.asyncshop.testsupport;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

/**
 * Access tokens as the authorization server makes them (RS256, the {@code roles} claim, an issuer
 * and an expiry), signed with a key made for the test, and the decoder that trusts that key: a
 * service's REST tests check real signatures and expiry without an authorization server running.
 */
public final class TestTokens {

  public static final String ISSUER = "http://authorization.test";

  /** The audience of every access token, which the services require. */
  public static final String AUDIENCE = "asyncshop-api";

  private final KeyPair keys;

  private TestTokens(KeyPair keys) {
    this.keys = keys;
  }

  public static TestTokens generate() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      return new TestTokens(generator.generateKeyPair());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The decoder a service uses in the test: this key, this issuer, expiry checked. */
  public JwtDecoder decoder() {
    NimbusJwtDecoder decoder =
        NimbusJwtDecoder.withPublicKey((RSAPublicKey) keys.getPublic()).build();
    decoder.setJwtValidator(
        new DelegatingOAuth2TokenValidator<>(
            JwtValidators.createDefaultWithIssuer(ISSUER),
            new JwtClaimValidator<List<String>>(
                JwtClaimNames.AUD, audience -> audience != null && audience.contains(AUDIENCE))));
    return decoder;
  }

  /** A token valid for five minutes, for that subject with those roles. */
  public String token(String subject, String... roles) {
    return token(subject, Duration.ofMinutes(5), roles);
  }

  /** A token that expires after {@code lifetime} from now (negative: already expired). */
  public String token(String subject, Duration lifetime, String... roles) {
    return sign(claims(subject, lifetime, roles).audience(AUDIENCE).build());
  }

  /**
   * An OpenID ID token as the server also signs them: same issuer and key, but addressed to the
   * client that logged the user in, and without roles.
   */
  public String idToken(String subject) {
    return sign(claims(subject, Duration.ofMinutes(5)).audience("asyncshop-cli").build());
  }

  private static JWTClaimsSet.Builder claims(String subject, Duration lifetime, String... roles) {
    Instant now = Instant.now();
    return new JWTClaimsSet.Builder()
        .issuer(ISSUER)
        .subject(subject)
        .issueTime(Date.from(now.minus(Duration.ofMinutes(10))))
        .expirationTime(Date.from(now.plus(lifetime)))
        .jwtID(UUID.randomUUID().toString())
        .claim("roles", List.of(roles));
  }

  private String sign(JWTClaimsSet claims) {
    SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.RS256), claims);
    try {
      jwt.sign(new RSASSASigner(keys.getPrivate()));
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
    return jwt.serialize();
  }

  /** The value of an {@code Authorization} header with that token. */
  public String bearer(String subject, String... roles) {
    return "Bearer " + token(subject, roles);
  }
}
