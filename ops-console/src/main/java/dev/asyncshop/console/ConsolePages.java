package dev.asyncshop.console;

import dev.asyncshop.console.services.ServiceProblem;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.ModelAttribute;

/**
 * What every page has: the operator's name in its header, and a service's refusal shown in words on
 * a page of its own when the page itself could not be read.
 */
@ControllerAdvice
class ConsolePages {

  @ModelAttribute("operator")
  @Nullable String operator(@AuthenticationPrincipal @Nullable OidcUser user) {
    return user == null ? null : user.getSubject();
  }

  @ExceptionHandler
  String refused(ServiceProblem problem, Model model, HttpServletResponse response) {
    // The service's own 4xx says what the operator asked for cannot be done; anything else is a
    // gateway's failure: the console works, the service behind it did not.
    int status = problem.status() >= 400 && problem.status() < 500 ? problem.status() : 502;
    response.setStatus(status);
    model.addAttribute("problem", problem.words());
    model.addAttribute("status", HttpStatus.valueOf(status));
    return "problem";
  }
}
