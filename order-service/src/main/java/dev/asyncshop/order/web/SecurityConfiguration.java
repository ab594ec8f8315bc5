package dev.asyncshop.order.web;

import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import java.time.Clock;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.security.autoconfigure.actuate.web.servlet.EndpointRequest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.WebSecurityCustomizer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.firewall.StrictHttpFirewall;

/**
 * Who may call what: orders to customers (their own) and staff. Every request needs a bearer token
 * from the authorization server except the health probes and the API documents; the roles come from
 * the token's {@code roles} claim (see {@code spring.security.oauth2.resourceserver.jwt} in
 * application.yml).
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

  @Bean
  SecurityFilterChain api(HttpSecurity http, AccessProblems problems) throws Exception {
    http.authorizeHttpRequests(
            requests ->
                requests
                    .requestMatchers(EndpointRequest.to("health", "asyncapi"))
                    .permitAll()
                    .requestMatchers(
                        "/v3/api-docs/**", "/swagger-ui/**", "/swagger-ui.html", "/error")
                    .permitAll()
                    // Prometheus scrapes with a client of its own that may read metrics and no
                    // more.
                    .requestMatchers(EndpointRequest.to("prometheus"))
                    .hasAnyRole("OPS", "MONITORING")
                    .requestMatchers(EndpointRequest.toAnyEndpoint())
                    .hasRole("OPS")
                    // The parking lot of dead letters (common-messaging): operators only.
                    .requestMatchers("/ops/**")
                    .hasRole("OPS")
                    // A customer places orders and reads their own (OrderController checks whose);
                    // staff and operators read any.
                    .requestMatchers(HttpMethod.POST, "/orders")
                    .hasRole("CUSTOMER")
                    .requestMatchers("/orders", "/orders/**")
                    .hasAnyRole("CUSTOMER", "STAFF", "OPS")
                    // Read models: sales for staff, a customer's history for them too
                    // (ReportController checks which).
                    .requestMatchers("/reports/**")
                    .hasAnyRole("CUSTOMER", "STAFF", "OPS")
                    // Rules above name paths, not methods: Spring MVC answers HEAD from a GET
                    // mapping, and a method-specific rule would let it through to this one.
                    .anyRequest()
                    .authenticated())
        .oauth2ResourceServer(
            server ->
                server
                    .bearerTokenResolver(new BearerTokenHeader())
                    .jwt(Customizer.withDefaults())
                    .authenticationEntryPoint(problems)
                    .accessDeniedHandler(problems))
        .exceptionHandling(
            exceptions ->
                exceptions.authenticationEntryPoint(problems).accessDeniedHandler(problems))
        .sessionManagement(
            sessions -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        // Bearer tokens and no cookies: there is no session a forged cross-site request could use.
        .csrf(csrf -> csrf.disable());
    return http.build();
  }

  /** Spring Security's firewall, with its default header value rule checked without a regex. */
  @Bean
  WebSecurityCustomizer firewall() {
    StrictHttpFirewall firewall = new StrictHttpFirewall();
    firewall.setAllowedHeaderValues(new AllowedHeaderValues());
    return web -> web.httpFirewall(firewall);
  }

  /**
   * The decoder Spring Boot builds from {@code spring.security.oauth2.resourceserver.jwt} (issuer,
   * audiences, keys), wrapped so that a token is verified once, not on each request that carries
   * it.
   */
  @Bean
  static BeanPostProcessor verifiedTokens() {
    return new BeanPostProcessor() {
      @Override
      public Object postProcessAfterInitialization(Object bean, String name) {
        return bean instanceof JwtDecoder decoder && !(bean instanceof VerifiedTokens)
            ? new VerifiedTokens(decoder, Clock.systemUTC())
            : bean;
      }
    };
  }

  /** Swagger UI's "Authorize" takes a bearer token, and every operation says it needs one. */
  @Bean
  OpenApiCustomizer bearerTokens() {
    return api ->
        api.schemaRequirement(
                "bearer",
                new SecurityScheme()
                    .type(SecurityScheme.Type.HTTP)
                    .scheme("bearer")
                    .bearerFormat("JWT")
                    .description("An access token of the authorization server: ./asyncshop token"))
            .addSecurityItem(new SecurityRequirement().addList("bearer"));
  }
}
