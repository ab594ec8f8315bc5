package dev.asyncshop.console.security;

import dev.asyncshop.console.ConsoleSettings;
import dev.asyncshop.console.services.Services;
import jakarta.servlet.DispatcherType;
import java.util.Map;
import org.springframework.boot.security.autoconfigure.actuate.web.servlet.EndpointRequest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientProviderBuilder;
import org.springframework.security.oauth2.client.oidc.web.logout.OidcClientInitiatedLogoutSuccessHandler;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.client.registration.InMemoryClientRegistrationRepository;
import org.springframework.security.oauth2.client.web.DefaultOAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.web.HttpSessionOAuth2AuthorizedClientRepository;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizedClientRepository;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Every page needs an operator: no session sends the browser to the authorization server's login
 * (authorization code with PKCE); a user without the OPS role gets the 403 page {@code /denied}.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

  @Bean
  SecurityFilterChain console(
      HttpSecurity http, ClientRegistrationRepository registrations, RolesFromAccessToken roles)
      throws Exception {
    OidcClientInitiatedLogoutSuccessHandler logout =
        new OidcClientInitiatedLogoutSuccessHandler(registrations);
    // Back to the console after logging out at the authorization server too: else its session
    // would log the same user in again at once, and nobody could switch to another operator.
    logout.setPostLogoutRedirectUri("{baseUrl}/");
    http.authorizeHttpRequests(
            requests ->
                requests
                    // An error page, and the rest of a live stream after its request was let in.
                    .dispatcherTypeMatchers(DispatcherType.ERROR, DispatcherType.ASYNC)
                    .permitAll()
                    .requestMatchers(EndpointRequest.to("health"))
                    .permitAll()
                    .requestMatchers("/console.css", "/error")
                    .permitAll()
                    .requestMatchers("/denied")
                    .authenticated()
                    .anyRequest()
                    .hasRole("OPS"))
        .oauth2Login(login -> login.userInfoEndpoint(info -> info.oidcUserService(roles)))
        .logout(out -> out.logoutSuccessHandler(logout))
        .exceptionHandling(exceptions -> exceptions.accessDeniedPage("/denied"));
    return http.build();
  }

  /**
   * The authorization server, configured here rather than discovered: discovery would need the
   * server up when the console starts, and the services too start without it.
   */
  @Bean
  ClientRegistrationRepository clientRegistrations(ConsoleSettings settings) {
    ConsoleSettings.Authorization authorization = settings.authorization();
    String secret = authorization.clientSecret();
    if (secret == null || secret.isBlank()) {
      throw new IllegalStateException(
          "console.authorization.client-secret is not set, so nobody could log in: set"
              + " CONSOLE_CLIENT_SECRET to the secret the authorization server has for the client '"
              + authorization.clientId()
              + "' (its ASYNCSHOP_AUTHORIZATION_CONSOLE_SECRET).");
    }
    String issuer = authorization.issuerBase();
    // The browser follows these two; the console itself uses the others.
    String browser = authorization.browserBase();
    ClientRegistration registration =
        ClientRegistration.withRegistrationId(Services.REGISTRATION)
            .clientId(authorization.clientId())
            .clientSecret(authorization.clientSecret() == null ? "" : authorization.clientSecret())
            .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
            .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
            .redirectUri("{baseUrl}/login/oauth2/code/{registrationId}")
            .scope("openid", "shop")
            .clientName("asyncshop authorization server")
            .issuerUri(issuer)
            .authorizationUri(browser + "/oauth2/authorize")
            .tokenUri(issuer + "/oauth2/token")
            .jwkSetUri(issuer + "/oauth2/jwks")
            .userNameAttributeName("sub")
            .providerConfigurationMetadata(
                Map.of("end_session_endpoint", browser + "/connect/logout"))
            // PKCE as well as the secret: the server requires it of this client.
            .clientSettings(
                ClientRegistration.ClientSettings.builder().requireProofKey(true).build())
            .build();
    return new InMemoryClientRegistrationRepository(registration);
  }

  @Bean
  RolesFromAccessToken rolesFromAccessToken(ConsoleSettings settings) {
    String issuer = settings.authorization().issuerBase();
    NimbusJwtDecoder decoder = NimbusJwtDecoder.withJwkSetUri(issuer + "/oauth2/jwks").build();
    decoder.setJwtValidator(JwtValidators.createDefaultWithIssuer(issuer));
    return new RolesFromAccessToken(decoder);
  }

  /**
   * The operator's tokens live in her session: logging out, or the session's expiry, forgets them,
   * where the default store would keep them in memory, by user name, for as long as the console
   * runs.
   */
  @Bean
  OAuth2AuthorizedClientRepository authorizedClientRepository() {
    return new HttpSessionOAuth2AuthorizedClientRepository();
  }

  /** Hands out the operator's access token for each call, refreshing it when it has expired. */
  @Bean
  OAuth2AuthorizedClientManager authorizedClients(
      ClientRegistrationRepository registrations, OAuth2AuthorizedClientRepository clients) {
    DefaultOAuth2AuthorizedClientManager manager =
        new DefaultOAuth2AuthorizedClientManager(registrations, clients);
    manager.setAuthorizedClientProvider(
        OAuth2AuthorizedClientProviderBuilder.builder().authorizationCode().refreshToken().build());
    return manager;
  }
}
