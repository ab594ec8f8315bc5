package dev.asyncshop.authorization;

import dev.asyncshop.authorization.AccountSettings.Console;
import dev.asyncshop.authorization.AccountSettings.MachineClient;
import dev.asyncshop.authorization.AccountSettings.Person;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.oidc.OidcScopes;
import org.springframework.security.oauth2.server.authorization.client.InMemoryRegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;
import org.springframework.security.oauth2.server.authorization.settings.TokenSettings;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;

/**
 * The users and clients of {@link AccountSettings}, in memory: a demo has a handful of each. A user
 * or client whose password or secret is not set is left out, with a log line naming the variable
 * that would set it, so one missing secret does not keep the others from logging in.
 */
@Configuration(proxyBeanMethods = false)
class Accounts {

  /** The scope every token the suite's clients ask for carries. */
  static final String SHOP_SCOPE = "shop";

  private static final Logger log = LoggerFactory.getLogger(Accounts.class);

  @Bean
  PasswordEncoder passwordEncoder() {
    return PasswordEncoderFactories.createDelegatingPasswordEncoder();
  }

  @Bean
  InMemoryUserDetailsManager users(AccountSettings settings, PasswordEncoder encoder) {
    refuseSharedNames(settings);
    List<UserDetails> users = new ArrayList<>();
    for (Map.Entry<String, Person> entry : settings.users().entrySet()) {
      String name = entry.getKey();
      Person person = entry.getValue();
      if (isBlank(person.password())) {
        log.info(
            "User {} has no password (ASYNCSHOP_AUTHORIZATION_USERS_{}_PASSWORD) and cannot log in",
            name,
            environmentName(name));
        continue;
      }
      users.add(
          User.withUsername(name)
              .password(encoder.encode(person.password()))
              .roles(person.roles().toArray(String[]::new))
              .build());
    }
    return new InMemoryUserDetailsManager(users);
  }

  @Bean
  RegisteredClientRepository clients(AccountSettings settings, PasswordEncoder encoder) {
    TokenSettings tokens =
        TokenSettings.builder().accessTokenTimeToLive(settings.accessTokenLifetime()).build();
    List<RegisteredClient> clients = new ArrayList<>();
    // People's tools: they log the user in through the browser or a login form; PKCE instead of
    // a secret, because a secret in a command-line tool is no secret.
    clients.add(
        RegisteredClient.withId(UUID.randomUUID().toString())
            .clientId(settings.cliClientId())
            .clientAuthenticationMethod(ClientAuthenticationMethod.NONE)
            .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
            .authorizationGrantType(AuthorizationGrantType.REFRESH_TOKEN)
            .redirectUris(uris -> uris.addAll(settings.cliRedirectUris()))
            .scopes(scopes -> scopes.addAll(Set.of(OidcScopes.OPENID, SHOP_SCOPE)))
            .clientSettings(
                ClientSettings.builder()
                    .requireProofKey(true)
                    .requireAuthorizationConsent(false)
                    .build())
            .tokenSettings(tokens)
            .build());
    consoleClient(settings.console(), encoder, tokens).ifPresent(clients::add);
    for (Map.Entry<String, MachineClient> entry : settings.clients().entrySet()) {
      String id = entry.getKey();
      MachineClient client = entry.getValue();
      String secret = secretOf("clients." + id, client.secret(), client.secretFile());
      if (isBlank(secret)) {
        log.info(
            "Client {} has no secret (ASYNCSHOP_AUTHORIZATION_CLIENTS_{}_SECRET) and cannot get"
                + " tokens",
            id,
            environmentName(id));
        continue;
      }
      clients.add(
          RegisteredClient.withId(UUID.randomUUID().toString())
              .clientId(id)
              .clientSecret(encoder.encode(secret))
              .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
              .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_POST)
              .authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
              .scope(SHOP_SCOPE)
              .tokenSettings(tokens)
              .build());
    }
    return new InMemoryRegisteredClientRepository(clients);
  }

  /**
   * The operators' console logs people in as a web application: the code comes back to its server,
   * which exchanges it with its secret, and PKCE as well, so a code caught on the way is of no use
   * even to someone who has the secret. Refresh tokens keep an operator's session going past the
   * access token's lifetime.
   */
  private static Optional<RegisteredClient> consoleClient(
      Console console, PasswordEncoder encoder, TokenSettings tokens) {
    String secret = secretOf("console", console.secret(), console.secretFile());
    if (isBlank(secret)) {
      log.info(
          "The console {} has no secret (ASYNCSHOP_AUTHORIZATION_CONSOLE_SECRET) and cannot log"
              + " anyone in",
          console.clientId());
      return Optional.empty();
    }
    return Optional.of(
        RegisteredClient.withId(UUID.randomUUID().toString())
            .clientId(console.clientId())
            .clientSecret(encoder.encode(secret))
            .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
            .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
            .authorizationGrantType(AuthorizationGrantType.REFRESH_TOKEN)
            .redirectUris(uris -> uris.addAll(console.redirectUris()))
            .postLogoutRedirectUris(uris -> uris.addAll(console.postLogoutRedirectUris()))
            .scopes(scopes -> scopes.addAll(Set.of(OidcScopes.OPENID, SHOP_SCOPE)))
            .clientSettings(
                ClientSettings.builder()
                    .requireProofKey(true)
                    .requireAuthorizationConsent(false)
                    .build())
            .tokenSettings(tokens)
            .build());
  }

  /**
   * A token's subject is the user's name or the client's id, and the services take it as the
   * customer: a client named like a user would place and read that user's orders.
   */
  private static void refuseSharedNames(AccountSettings settings) {
    for (String id : settings.clients().keySet()) {
      if (settings.users().containsKey(id)
          || id.equals(settings.cliClientId())
          || id.equals(settings.console().clientId())) {
        throw new IllegalStateException(
            ("asyncshop.authorization.clients.%s has the name of a user, of the command-line"
                    + " client or of the console; tokens name their user or client as subject, so the two would be"
                    + " one caller to the services. Rename the client.")
                .formatted(id));
      }
    }
  }

  /** The secret, or the content of the secret file; {@code property} names both in a refusal. */
  private static @Nullable String secretOf(
      String property, @Nullable String secret, @Nullable String secretFile) {
    if (secretFile == null) {
      return secret;
    }
    try {
      return Files.readString(Path.of(secretFile)).strip();
    } catch (IOException e) {
      throw new IllegalStateException(
          "asyncshop.authorization.%s.secret-file '%s' cannot be read: %s. Mount the secret there or correct the path."
              .formatted(property, secretFile, e),
          e);
    }
  }

  private static boolean isBlank(@Nullable String text) {
    return text == null || text.isBlank();
  }

  /** How relaxed binding spells a map key in an environment variable. */
  private static String environmentName(String key) {
    return key.toUpperCase().replaceAll("[^A-Z0-9]", "");
  }
}
