package dev.asyncshop.messaging.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContextHolder;

class SecurityContextPrincipalSourceTests {

  private final SecurityContextPrincipalSource principals = new SecurityContextPrincipalSource();

  @AfterEach
  void clearContext() {
    SecurityContextHolder.clearContext();
  }

  @Test
  void anAuthenticatedCallerIsNamed() {
    SecurityContextHolder.getContext()
        .setAuthentication(
            UsernamePasswordAuthenticationToken.authenticated(
                "olivia", null, AuthorityUtils.createAuthorityList("ROLE_OPS")));

    assertThat(principals.currentPrincipal()).isEqualTo("olivia");
  }

  @Test
  void noAuthenticationIsNobody() {
    assertThat(principals.currentPrincipal()).isNull();
  }

  @Test
  void anAnonymousCallerIsNobody() {
    SecurityContextHolder.getContext()
        .setAuthentication(
            new AnonymousAuthenticationToken(
                "key", "anonymousUser", AuthorityUtils.createAuthorityList("ROLE_ANONYMOUS")));

    assertThat(principals.currentPrincipal()).isNull();
  }

  @Test
  void anUnauthenticatedAttemptIsNobody() {
    SecurityContextHolder.getContext()
        .setAuthentication(UsernamePasswordAuthenticationToken.unauthenticated("alice", "secret"));

    assertThat(principals.currentPrincipal()).isNull();
  }
}
