package dev.asyncshop.console.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserRequest;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.oidc.OidcIdToken;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtException;

class RolesFromAccessTokenTests {

  static final ClientRegistration REGISTRATION =
      ClientRegistration.withRegistrationId("asyncshop")
          .clientId("ops-console")
          .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
          .redirectUri("{baseUrl}/login/oauth2/code/{registrationId}")
          .authorizationUri("http://issuer.test/oauth2/authorize")
          .tokenUri("http://issuer.test/oauth2/token")
          .userNameAttributeName("sub")
          .scope("openid", "shop")
          .build();

  @Test
  void theOperatorsRolesAreThoseOfTheAccessToken() {
    RolesFromAccessToken roles =
        new RolesFromAccessToken(token -> jwt(token, Map.of("roles", List.of("OPS"))));

    var user = roles.loadUser(request("olivia-token"));

    assertThat(user.getName()).isEqualTo("olivia");
    assertThat(user.getAuthorities())
        .extracting(GrantedAuthority::getAuthority)
        .contains("ROLE_OPS");
  }

  @Test
  void aTokenWithoutRolesGivesNone() {
    RolesFromAccessToken roles = new RolesFromAccessToken(token -> jwt(token, Map.of()));

    assertThat(roles.loadUser(request("sam-token")).getAuthorities())
        .extracting(GrantedAuthority::getAuthority)
        .noneMatch(authority -> authority.startsWith("ROLE_"));
  }

  @Test
  void anAccessTokenThatDoesNotHoldFailsTheLogin() {
    RolesFromAccessToken roles =
        new RolesFromAccessToken(
            token -> {
              throw new JwtException("bad signature");
            });

    assertThatThrownBy(() -> roles.loadUser(request("forged")))
        .isInstanceOf(OAuth2AuthenticationException.class)
        .hasMessageContaining("bad signature");
  }

  private static OidcUserRequest request(String accessToken) {
    Instant now = Instant.now();
    OidcIdToken idToken =
        new OidcIdToken(
            "id-token",
            now,
            now.plusSeconds(300),
            Map.of("sub", "olivia", "iss", "http://issuer.test"));
    return new OidcUserRequest(
        REGISTRATION,
        new OAuth2AccessToken(
            OAuth2AccessToken.TokenType.BEARER, accessToken, now, now.plusSeconds(300)),
        idToken);
  }

  private static Jwt jwt(String token, Map<String, Object> claims) {
    Jwt.Builder jwt =
        Jwt.withTokenValue(token)
            .header("alg", "RS256")
            .subject("olivia")
            .issuedAt(Instant.now())
            .expiresAt(Instant.now().plusSeconds(300));
    claims.forEach(jwt::claim);
    return jwt.build();
  }
}
