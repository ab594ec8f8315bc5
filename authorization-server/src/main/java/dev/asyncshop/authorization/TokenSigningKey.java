package dev.asyncshop.authorization;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Base64;
import java.util.Objects;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The key that signs tokens, from a mounted secret. Every instance of the authorization server must
 * sign with the same key, or a service would reject tokens from all but the instance whose key set
 * it fetched; without the setting Boot makes a key at start-up, which suits a single local
 * instance.
 */
@Configuration(proxyBeanMethods = false)
// An empty value (an unset variable in a manifest) means no file, as if the setting were absent.
@ConditionalOnExpression("!'${asyncshop.authorization.signing-key-file:}'.isBlank()")
class TokenSigningKey {

  @Bean
  JWKSource<SecurityContext> tokenSigningKeys(AccountSettings settings) {
    String file = Objects.requireNonNull(settings.signingKeyFile());
    RSAPrivateCrtKey privateKey = read(file);
    try {
      RSAPublicKey publicKey =
          (RSAPublicKey)
              KeyFactory.getInstance("RSA")
                  .generatePublic(
                      new RSAPublicKeySpec(
                          privateKey.getModulus(), privateKey.getPublicExponent()));
      RSAKey key =
          new RSAKey.Builder(publicKey)
              .privateKey(privateKey)
              .keyID(settings.signingKeyId())
              .build();
      return new ImmutableJWKSet<>(new JWKSet(key));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Cannot derive the public half of " + file, e);
    }
  }

  private static RSAPrivateCrtKey read(String file) {
    String pem;
    try {
      pem = Files.readString(Path.of(file), StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new IllegalStateException(
          "asyncshop.authorization.signing-key-file '%s' cannot be read: %s. Mount the secret"
                  .formatted(file, e)
              + " there or correct the path.",
          e);
    }
    String body =
        pem.replace("-----BEGIN PRIVATE KEY-----", "")
            .replace("-----END PRIVATE KEY-----", "")
            .strip();
    try {
      return (RSAPrivateCrtKey)
          KeyFactory.getInstance("RSA")
              .generatePrivate(new PKCS8EncodedKeySpec(Base64.getMimeDecoder().decode(body)));
    } catch (GeneralSecurityException | IllegalArgumentException | ClassCastException e) {
      throw new IllegalStateException(
          ("asyncshop.authorization.signing-key-file '%s' is not an RSA private key in PKCS #8"
                  + " PEM. Make one with `openssl genpkey -algorithm RSA -pkeyopt"
                  + " rsa_keygen_bits:2048`.")
              .formatted(file),
          e);
    }
  }
}
