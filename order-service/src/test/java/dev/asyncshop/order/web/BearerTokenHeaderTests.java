package dev.asyncshop.order.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.oauth2.server.resource.web.DefaultBearerTokenResolver;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.security.web.firewall.StrictHttpFirewall;

/**
 * The same answers and errors as Spring Security's resolver and firewall rule, header by header.
 */
class BearerTokenHeaderTests {

  static final String JWT =
      "eyJraWQiOiJrMSIsImFsZyI6IlJTMjU2In0.eyJzdWIiOiJjYXJsYSJ9.c2lnbmF0dXJlLWJ5dGVz-_~+/";

  static final List<String> HEADERS =
      List.of(
          "Bearer " + JWT,
          "bearer " + JWT,
          "BEARER " + JWT,
          "Bearer " + JWT + "==",
          "Bearer abc=",
          "Bearer =",
          "Bearer ",
          "Bearer",
          "Bearer  " + JWT,
          "Bearer " + JWT + " ",
          "Bearer " + JWT + "=a",
          "Bearer a b",
          "Bearer tok\u00e9n",
          "Bearer token\n",
          "Bearer\t" + JWT,
          "Basic dXNlcjpwYXNz",
          "Bearerx " + JWT,
          "");

  @Test
  void answersWhatSpringSecuritysResolverAnswers() {
    BearerTokenHeader header = new BearerTokenHeader();
    DefaultBearerTokenResolver standard = new DefaultBearerTokenResolver();
    for (String value : HEADERS) {
      Object ours = outcome(header::resolve, value);
      Object theirs = outcome(standard::resolve, value);
      assertThat(ours).as("Authorization: %s", value).isEqualTo(theirs);
    }
    assertThat(outcome(header::resolve, null)).isEqualTo(outcome(standard::resolve, null));
  }

  @Test
  void aWellFormedHeaderIsReadWithoutTheRegularExpression() {
    assertThat(BearerTokenHeader.wellFormedToken("Bearer " + JWT)).isEqualTo(JWT);
    assertThat(BearerTokenHeader.wellFormedToken("Bearer a b")).isNull();
  }

  @Test
  void allowsTheHeaderValuesTheFirewallAllowsByDefault() {
    StrictHttpFirewall standard = new StrictHttpFirewall();
    StrictHttpFirewall ours = new StrictHttpFirewall();
    ours.setAllowedHeaderValues(new AllowedHeaderValues());
    List<String> values =
        List.of(
            "Bearer " + JWT,
            "",
            "text/html; q=0.9",
            "caf\u00e9 \u4e2d\u6587 \ud83d\ude00",
            "tab\there",
            "line\nbreak",
            "return\rhere",
            "nul\u0000",
            "del\u007f",
            "c1\u0085",
            "unassigned\u0378",
            "lone\ud800surrogate",
            "private\ue000use");
    for (String value : values) {
      assertThat(headerAllowed(ours, value))
          .as("%s", value)
          .isEqualTo(headerAllowed(standard, value));
    }
  }

  /** Whether the firewall lets a request read the header of that value. */
  static boolean headerAllowed(StrictHttpFirewall firewall, String value) {
    MockHttpServletRequest request = new MockHttpServletRequest("GET", "/orders/1");
    request.addHeader("X-Value", value);
    try {
      firewall.getFirewalledRequest(request).getHeader("X-Value");
      return true;
    } catch (RequestRejectedException e) {
      return false;
    }
  }

  interface Resolver {
    String resolve(MockHttpServletRequest request);
  }

  /** The token, or the error's description. */
  static Object outcome(Resolver resolver, String authorization) {
    MockHttpServletRequest request = new MockHttpServletRequest("GET", "/orders/1");
    if (authorization != null) {
      request.addHeader("Authorization", authorization);
    }
    Throwable error = catchThrowable(() -> resolver.resolve(request));
    if (error != null) {
      return "error: " + error.getMessage();
    }
    return Objects.toString(resolver.resolve(request));
  }
}
