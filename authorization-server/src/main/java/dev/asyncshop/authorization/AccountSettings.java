package dev.asyncshop.authorization;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Who may get a token, and what it says. The names and roles are configuration; every password and
 * client secret comes from the environment (or a mounted secret), never from the repository.
 *
 * @param users people who log in with a password, by user name; the name is the token's subject
 *     (for a customer, their customer id)
 * @param clients machine clients that get tokens with their own id and secret (client credentials),
 *     by client id
 * @param cliClientId the public client that people's tools log in with (authorization code with
 *     PKCE, no secret)
 * @param cliRedirectUris where that client may be sent back to: loopback addresses, as for native
 *     apps (RFC 8252)
 * @param console the operators' web console (ops-console): a server-side client that logs people in
 *     and calls the services with their tokens
 * @param accessTokenLifetime how long an access token is accepted
 * @param signingKeyFile PKCS #8 PEM of the RSA key that signs tokens; without it a key is made at
 *     start-up, which suits one instance (a restart makes earlier tokens unverifiable)
 * @param signingKeyId the key id ({@code kid}) tokens name, with {@code signingKeyFile}
 */
@ConfigurationProperties("asyncshop.authorization")
record AccountSettings(
    @DefaultValue Map<String, Person> users,
    @DefaultValue Map<String, MachineClient> clients,
    @DefaultValue("asyncshop-cli") String cliClientId,
    @DefaultValue("http://127.0.0.1:8765/callback") List<String> cliRedirectUris,
    @DefaultValue Console console,
    @DefaultValue("15m") Duration accessTokenLifetime,
    @Nullable String signingKeyFile,
    @DefaultValue("asyncshop-1") String signingKeyId) {

  /**
   * @param password the password; without one the user cannot log in
   * @param roles what the user may do: {@code CUSTOMER}, {@code STAFF}, {@code OPS}
   */
  record Person(@Nullable String password, @DefaultValue List<String> roles) {}

  /**
   * @param secret the client secret; without one (or a file) the client cannot get a token
   * @param secretFile a file holding the secret instead, such as a mounted secret that another
   *     process (Prometheus) reads too
   * @param roles the roles its tokens carry
   */
  record MachineClient(
      @Nullable String secret, @Nullable String secretFile, @DefaultValue List<String> roles) {}

  /**
   * A web application that people log in through: authorization code with PKCE, and a secret,
   * because the code is exchanged by its server, not by a browser or a tool.
   *
   * @param clientId its client id
   * @param secret the client secret; without one (or a file) the console cannot log anyone in
   * @param secretFile a file holding the secret instead, such as a mounted secret
   * @param redirectUris where it may be sent back to after a login
   * @param postLogoutRedirectUris where it may be sent back to after logging out here
   */
  record Console(
      @DefaultValue("ops-console") String clientId,
      @Nullable String secret,
      @Nullable String secretFile,
      @DefaultValue("http://127.0.0.1:8090/login/oauth2/code/asyncshop") List<String> redirectUris,
      @DefaultValue("http://127.0.0.1:8090/") List<String> postLogoutRedirectUris) {}
}
