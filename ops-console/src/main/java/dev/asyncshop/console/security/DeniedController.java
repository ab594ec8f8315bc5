package dev.asyncshop.console.security;

import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.RequestMapping;

/** The 403 page: who is logged in, which roles their token carries, and how to switch. */
@Controller
class DeniedController {

  @RequestMapping("/denied")
  String denied(Authentication authentication, Model model, HttpServletResponse response) {
    response.setStatus(HttpServletResponse.SC_FORBIDDEN);
    List<String> roles =
        authentication.getAuthorities().stream()
            .map(GrantedAuthority::getAuthority)
            .filter(authority -> authority.startsWith("ROLE_"))
            .map(authority -> authority.substring("ROLE_".length()))
            .toList();
    model.addAttribute("user", authentication.getName());
    model.addAttribute("roles", roles);
    return "denied";
  }
}
