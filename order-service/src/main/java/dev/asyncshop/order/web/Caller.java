package dev.asyncshop.order.web;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;

/**
 * Who is calling, as the API needs to know it: the token's subject, which for a customer is their
 * customer id, and whether they may see every customer's orders.
 *
 * @param id the token's subject: a user name, or a machine client's id
 * @param seesEveryOrder staff or operator
 */
public record Caller(String id, boolean seesEveryOrder) {

  public static Caller of(Authentication authentication) {
    boolean staff =
        authentication.getAuthorities().stream()
            .map(GrantedAuthority::getAuthority)
            .anyMatch(role -> role.equals("ROLE_STAFF") || role.equals("ROLE_OPS"));
    return new Caller(authentication.getName(), staff);
  }

  /** Whether this caller may see an order of that customer. */
  public boolean maySee(String customerId) {
    return seesEveryOrder || id.equals(customerId);
  }
}
