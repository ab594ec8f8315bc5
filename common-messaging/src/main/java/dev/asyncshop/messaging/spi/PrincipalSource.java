package dev.asyncshop.messaging.spi;

import org.jspecify.annotations.Nullable;

/**
 * Who is acting when a service sends a message that no handled message caused: the user or client
 * of the request being served. The envelope factory asks only outside a handler; inside one, a new
 * message keeps the principal of the message being handled, so a whole business flow names the
 * caller that started it. The default reads Spring Security's context when Spring Security is
 * present; declare a bean of this type to replace it.
 */
@FunctionalInterface
public interface PrincipalSource {

  /** Nobody: every message a service sends outside a handler is its own. */
  PrincipalSource NONE = () -> null;

  /** The acting principal's name, or {@code null} when nobody is (start-up, a scheduled job). */
  @Nullable String currentPrincipal();
}
