package dev.asyncshop.authorization;

import java.util.List;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;
import org.springframework.stereotype.Component;

/**
 * Puts the caller's roles in every access token as the claim {@value #CLAIM}: a user's roles for a
 * token a user asked for, a machine client's configured roles for client credentials. The services
 * authorize on this claim alone; they never look a user up. Every access token is also addressed to
 * {@value #AUDIENCE}, which the services require: an ID token, signed by the same key but addressed
 * to its client, is no key to the API.
 */
@Component
class RolesInTokens implements OAuth2TokenCustomizer<JwtEncodingContext> {

  static final String CLAIM = "roles";

  static final String AUDIENCE = "asyncshop-api";

  private static final String ROLE_PREFIX = "ROLE_";

  private final AccountSettings settings;

  RolesInTokens(AccountSettings settings) {
    this.settings = settings;
  }

  @Override
  public void customize(JwtEncodingContext context) {
    if (!OAuth2TokenType.ACCESS_TOKEN.equals(context.getTokenType())) {
      return;
    }
    context.getClaims().claim(CLAIM, roles(context)).audience(List.of(AUDIENCE));
  }

  private List<String> roles(JwtEncodingContext context) {
    if (AuthorizationGrantType.CLIENT_CREDENTIALS.equals(context.getAuthorizationGrantType())) {
      AccountSettings.MachineClient client =
          settings.clients().get(context.getRegisteredClient().getClientId());
      return client == null ? List.of() : List.copyOf(client.roles());
    }
    return context.getPrincipal().getAuthorities().stream()
        .map(GrantedAuthority::getAuthority)
        .filter(authority -> authority.startsWith(ROLE_PREFIX))
        .map(authority -> authority.substring(ROLE_PREFIX.length()))
        .toList();
  }
}
