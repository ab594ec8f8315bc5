package dev.asyncshop.benchmarks;

import dev.asyncshop.testsupport.AuthorizationServerClient;
import dev.asyncshop.testsupport.ServiceProcess;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The authorization server of a benchmark run, and the tokens the load generator sends: orders are
 * placed as the {@code loadgenerator} client (a customer), stock and metrics are read as the {@code
 * operations} client. Tokens are fetched again well before they expire, so a long run never sends
 * an expired one; a service checks each token's signature on every request, as in production.
 */
final class BearerTokens {

  private static final Duration REFRESH = Duration.ofMinutes(10);

  private final String secret = UUID.randomUUID().toString();
  private final ServiceProcess server;
  private AuthorizationServerClient client;
  private String customer;
  private String operator;
  private Instant fetched = Instant.MIN;

  BearerTokens(Path workDirectory) {
    int port = ServiceProcess.freePort();
    server =
        new ServiceProcess(
            "authorization-server",
            port,
            workDirectory,
            List.of(
                "--spring.security.oauth2.authorizationserver.issuer=http://127.0.0.1:" + port,
                "--asyncshop.authorization.clients.loadgenerator.secret=" + secret,
                "--asyncshop.authorization.clients.operations.secret=" + secret));
  }

  /** The settings that make a service accept this server's tokens. */
  List<String> serviceArguments() {
    String issuer = "http://127.0.0.1:" + server.port();
    return List.of(
        "--spring.security.oauth2.resourceserver.jwt.issuer-uri=" + issuer,
        "--spring.security.oauth2.resourceserver.jwt.jwk-set-uri=" + issuer + "/oauth2/jwks");
  }

  void start() {
    server.start();
    server.awaitReady(Duration.ofMinutes(2));
    client = new AuthorizationServerClient(URI.create("http://127.0.0.1:" + server.port()));
  }

  void stop() {
    server.stop();
  }

  /** The Authorization header of the load generator, who places orders as a customer. */
  synchronized String customer() {
    refresh();
    return customer;
  }

  /** The Authorization header of the operators' client. */
  synchronized String operator() {
    refresh();
    return operator;
  }

  private void refresh() {
    if (fetched.isAfter(Instant.now().minus(REFRESH))) {
      return;
    }
    customer = "Bearer " + client.clientCredentials("loadgenerator", secret);
    operator = "Bearer " + client.clientCredentials("operations", secret);
    fetched = Instant.now();
  }
}
