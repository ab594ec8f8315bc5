package dev.asyncshop.authorization;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jwt.SignedJWT;
import dev.asyncshop.testsupport.AuthorizationServerClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;

/** The server as the suite uses it, over HTTP: the grants, the roles in the token, what is open. */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "asyncshop.authorization.users.alice.password=alice-secret",
      "asyncshop.authorization.users.olivia.password=olivia-secret",
      "asyncshop.authorization.clients.operations.secret=ops-secret",
      "asyncshop.authorization.clients.loadgenerator.secret=",
      "asyncshop.authorization.console.secret=console-secret",
      "spring.security.oauth2.authorizationserver.issuer=http://issuer.test"
    })
class AuthorizationServerIntegrationTests {

  @LocalServerPort int port;

  AuthorizationServerClient client;

  @BeforeEach
  void client() {
    client = new AuthorizationServerClient(URI.create("http://127.0.0.1:" + port));
  }

  @Test
  void aCustomerLogsInAndHerTokenNamesHerAndHerRole() throws Exception {
    var token = SignedJWT.parse(client.logIn("alice", "alice-secret")).getJWTClaimsSet();

    assertThat(token.getSubject()).isEqualTo("alice");
    assertThat(token.getStringListClaim("roles")).containsExactly("CUSTOMER");
    assertThat(token.getAudience()).containsExactly("asyncshop-api");
    assertThat(token.getIssuer()).isEqualTo("http://issuer.test");
    assertThat(token.getExpirationTime()).isInTheFuture();
  }

  @Test
  void anOperatorsTokenCarriesTheOpsRole() throws Exception {
    var token = SignedJWT.parse(client.logIn("olivia", "olivia-secret")).getJWTClaimsSet();

    assertThat(token.getStringListClaim("roles")).containsExactly("OPS");
  }

  @Test
  void aWrongPasswordGetsNoToken() {
    assertThatThrownBy(() -> client.logIn("alice", "guess"))
        .hasMessageContaining("Logging in as alice failed");
  }

  @Test
  void aUserWithoutAPasswordCannotLogIn() {
    assertThatThrownBy(() -> client.logIn("bob", "")).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aMachineClientGetsATokenWithItsConfiguredRoles() throws Exception {
    var token =
        SignedJWT.parse(client.clientCredentials("operations", "ops-secret")).getJWTClaimsSet();

    assertThat(token.getSubject()).isEqualTo("operations");
    assertThat(token.getStringListClaim("roles")).containsExactly("OPS");
  }

  @Test
  void aWrongClientSecretOrAClientWithoutSecretGetsNoToken() {
    assertThatThrownBy(() -> client.clientCredentials("operations", "guess"))
        .hasMessageContaining("401");
    assertThatThrownBy(() -> client.clientCredentials("loadgenerator", "anything"))
        .hasMessageContaining("401");
  }

  @Test
  void theKeySetDiscoveryAndHealthProbesAreOpen() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    for (String path :
        new String[] {
          "/oauth2/jwks", "/.well-known/openid-configuration", "/actuator/health/readiness"
        }) {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).as(path).isEqualTo(200);
    }
  }

  @Test
  void theConsoleLogsPeopleInWithItsSecretAndPkce(@Autowired RegisteredClientRepository clients) {
    RegisteredClient console = clients.findByClientId("ops-console");

    assertThat(console).isNotNull();
    assertThat(console.getAuthorizationGrantTypes())
        .containsExactlyInAnyOrder(
            AuthorizationGrantType.AUTHORIZATION_CODE, AuthorizationGrantType.REFRESH_TOKEN);
    assertThat(console.getClientAuthenticationMethods())
        .containsExactly(ClientAuthenticationMethod.CLIENT_SECRET_BASIC);
    assertThat(console.getClientSettings().isRequireProofKey()).isTrue();
    assertThat(console.getRedirectUris())
        .containsExactly("http://127.0.0.1:8090/login/oauth2/code/asyncshop");
    assertThat(console.getScopes()).contains("openid", "shop");
  }

  @Test
  void aClientNamedLikeAUserStopsTheStart() {
    new org.springframework.boot.test.context.runner.ApplicationContextRunner()
        .withUserConfiguration(Accounts.class)
        .withBean(
            AccountSettings.class,
            () ->
                new AccountSettings(
                    java.util.Map.of(
                        "alice", new AccountSettings.Person("pw", java.util.List.of("CUSTOMER"))),
                    java.util.Map.of(
                        "alice",
                        new AccountSettings.MachineClient(
                            "secret", null, java.util.List.of("CUSTOMER"))),
                    "asyncshop-cli",
                    java.util.List.of("http://127.0.0.1:8765/callback"),
                    new AccountSettings.Console(
                        "ops-console",
                        null,
                        null,
                        java.util.List.of("http://127.0.0.1:8090/login/oauth2/code/asyncshop"),
                        java.util.List.of("http://127.0.0.1:8090/")),
                    java.time.Duration.ofMinutes(15),
                    null,
                    "asyncshop-1"))
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .rootCause()
                    .hasMessageContaining("asyncshop.authorization.clients.alice"));
  }
}
