package dev.asyncshop.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.oidcLogin;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.forwardedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.web.util.UriComponentsBuilder;

/** Who gets in: operators only, after logging in at the authorization server. */
@SpringBootTest(properties = "console.authorization.client-secret=console-secret")
@AutoConfigureMockMvc
class ConsoleSecurityTests {

  @Autowired MockMvc mvc;

  @Test
  void withoutALoginEveryPageSendsTheBrowserToTheAuthorizationServer() throws Exception {
    for (String page : new String[] {"/", "/dead-letters", "/dead-letters/inventory/1"}) {
      mvc.perform(get(page)).andExpect(redirectedUrl("/oauth2/authorization/asyncshop"));
    }
    mvc.perform(post("/dead-letters/inventory/1/replay").with(csrf()))
        .andExpect(redirectedUrl("/oauth2/authorization/asyncshop"));

    String authorize =
        mvc.perform(get("/oauth2/authorization/asyncshop"))
            .andExpect(status().is3xxRedirection())
            .andReturn()
            .getResponse()
            .getRedirectedUrl();
    var uri = UriComponentsBuilder.fromUriString(authorize).build();
    assertThat(authorize).startsWith("http://127.0.0.1:9000/oauth2/authorize?");
    assertThat(uri.getQueryParams().getFirst("client_id")).isEqualTo("ops-console");
    assertThat(uri.getQueryParams().getFirst("response_type")).isEqualTo("code");
    assertThat(uri.getQueryParams().getFirst("code_challenge_method")).isEqualTo("S256");
    assertThat(uri.getQueryParams().getFirst("code_challenge")).isNotBlank();
    assertThat(uri.getQueryParams().getFirst("redirect_uri"))
        .isEqualTo("http://localhost/login/oauth2/code/asyncshop");
    assertThat(uri.getQueryParams().getFirst("scope")).isEqualTo("openid%20shop");
  }

  @Test
  void aUserWithoutTheOpsRoleGetsTheForbiddenPage() throws Exception {
    var sam =
        oidcLogin()
            .idToken(token -> token.subject("sam"))
            .authorities(new SimpleGrantedAuthority("ROLE_STAFF"));

    mvc.perform(get("/").with(sam))
        .andExpect(status().isForbidden())
        .andExpect(forwardedUrl("/denied"));
    mvc.perform(post("/dead-letters/inventory/1/purge").with(sam).with(csrf()))
        .andExpect(status().isForbidden());
    mvc.perform(get("/denied").with(sam))
        .andExpect(status().isForbidden())
        .andExpect(
            content()
                .string(
                    allOf(
                        containsString("this console is for operators"),
                        containsString("<strong>sam</strong>"),
                        containsString("the role(s) STAFF"),
                        containsString("Log out and log in as someone else"))));
  }

  @Test
  void actionsNeedTheCsrfTokenOfTheConsolesOwnForms() throws Exception {
    mvc.perform(
            post("/dead-letters/inventory/1/purge")
                .with(
                    oidcLogin()
                        .idToken(token -> token.subject("olivia"))
                        .authorities(new SimpleGrantedAuthority("ROLE_OPS"))))
        .andExpect(status().isForbidden());
  }

  @Test
  void theHealthProbeIsOpen() throws Exception {
    mvc.perform(get("/actuator/health/readiness")).andExpect(status().isOk());
  }
}
