package dev.asyncshop.messaging.internal;

import dev.asyncshop.messaging.spi.PrincipalSource;
import org.jspecify.annotations.Nullable;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * The principal of the request on this thread, as Spring Security authenticated it: for a JWT
 * resource server the token's subject. An anonymous caller is nobody, not a principal named
 * "anonymousUser".
 */
final class SecurityContextPrincipalSource implements PrincipalSource {

  @Override
  public @Nullable String currentPrincipal() {
    Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
    if (authentication == null
        || !authentication.isAuthenticated()
        || authentication instanceof AnonymousAuthenticationToken) {
      return null;
    }
    String name = authentication.getName();
    return name == null || name.isBlank() ? null : name;
  }
}
