package dev.asyncshop.console.security;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserRequest;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserService;
import org.springframework.security.oauth2.client.userinfo.OAuth2UserService;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.oidc.user.DefaultOidcUser;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;

/**
 * The operator's roles are those of the access token's {@code roles} claim, the claim the services
 * authorize on; the ID token carries none. The token is checked as a service checks it (signature,
 * issuer, expiry), so the console admits exactly those the services would obey.
 */
class RolesFromAccessToken implements OAuth2UserService<OidcUserRequest, OidcUser> {

  static final String CLAIM = "roles";

  private final OidcUserService users = new OidcUserService();
  private final JwtDecoder accessTokens;

  RolesFromAccessToken(JwtDecoder accessTokens) {
    this.accessTokens = accessTokens;
  }

  @Override
  public OidcUser loadUser(OidcUserRequest request) throws OAuth2AuthenticationException {
    OidcUser user = users.loadUser(request);
    Jwt token;
    try {
      token = accessTokens.decode(request.getAccessToken().getTokenValue());
    } catch (JwtException e) {
      throw new OAuth2AuthenticationException(
          new OAuth2Error(
              "invalid_token", "The access token does not hold: " + e.getMessage(), null),
          e);
    }
    Collection<GrantedAuthority> authorities = new ArrayList<>(user.getAuthorities());
    List<String> roles = token.getClaimAsStringList(CLAIM);
    if (roles != null) {
      roles.forEach(role -> authorities.add(new SimpleGrantedAuthority("ROLE_" + role)));
    }
    return new DefaultOidcUser(authorities, user.getIdToken(), user.getUserInfo(), "sub");
  }
}
