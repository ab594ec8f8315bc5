package dev.asyncshop.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A real login: the authorization server runs as a process (its runnable jar), the console in this
 * JVM, and a client that keeps cookies as a browser does (per host, whatever the port) walks the
 * redirects and fills in the login form. An operator ends on the overview and the services receive
 * her access token; a member of staff ends on the 403 page.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
class ConsoleLoginIntegrationTests {

  static final int CONSOLE_PORT = AuthorizationServerProcess.freePort();
  static final String SECRET = "console-test-secret";
  static final ServicesStub STUB = new ServicesStub().serve();
  static final AuthorizationServerProcess AUTHORIZATION = authorizationServer();

  private static final Pattern CSRF =
      Pattern.compile(
          "name=\"_csrf\"[^>]*value=\"([^\"]+)\"|value=\"([^\"]+)\"[^>]*name=\"_csrf\"");

  @DynamicPropertySource
  static void console(DynamicPropertyRegistry properties) {
    properties.add("server.port", () -> CONSOLE_PORT);
    properties.add("console.authorization.issuer", AUTHORIZATION.uri("/")::toString);
    properties.add("console.authorization.client-secret", () -> SECRET);
    for (String service : List.of("order", "inventory", "payment", "shipping")) {
      properties.add("console.services." + service, () -> STUB.url(service));
    }
  }

  @AfterAll
  static void stop() {
    AUTHORIZATION.stop();
    STUB.stop();
  }

  @Test
  void anOperatorLogsInAndTheServicesReceiveHerToken() throws Exception {
    STUB.answer("GET", "/inventory/actuator/health", 200, "health-up.json")
        .answer("GET", "/inventory/actuator/prometheus", 200, "prometheus.txt");

    HttpResponse<String> overview = logIn("olivia", "olivia-password");

    assertThat(overview.statusCode()).isEqualTo(200);
    assertThat(overview.body()).contains("Operator <strong>olivia</strong>", "service-inventory");
    String bearer = STUB.requests("GET", "/inventory/actuator/health").get(0).authorization();
    assertThat(bearer).startsWith("Bearer ");
    var token = SignedJWT.parse(bearer.substring("Bearer ".length())).getJWTClaimsSet();
    assertThat(token.getSubject()).isEqualTo("olivia");
    assertThat(token.getStringListClaim("roles")).containsExactly("OPS");
    assertThat(token.getAudience()).containsExactly("asyncshop-api");
  }

  @Test
  void staffLogInButGetTheForbiddenPageFromWhichTheyCanLogOutEverywhere() throws Exception {
    HttpClient browser = browser();
    HttpResponse<String> page = logIn(browser, "sam", "sam-password");

    assertThat(page.statusCode()).isEqualTo(403);
    assertThat(page.body()).contains("this console is for operators", "<strong>sam</strong>");

    // Logged out of the authorization server too, the browser is asked to log in again, so
    // someone else can: without that, the server's session would let sam straight back in.
    HttpResponse<String> afterLogout =
        follow(
            browser,
            HttpRequest.newBuilder(page.uri().resolve("/logout"))
                .header("Accept", "text/html")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString("_csrf=" + csrf(page.body())))
                .build());
    assertThat(afterLogout.uri().getPort()).isEqualTo(AUTHORIZATION.port());
    assertThat(afterLogout.uri().getPath()).isEqualTo("/login");
  }

  /** Opens the console, is sent to log in, logs in, and follows the redirects back. */
  private static HttpResponse<String> logIn(String user, String password) throws Exception {
    return logIn(browser(), user, password);
  }

  private static HttpResponse<String> logIn(HttpClient browser, String user, String password)
      throws Exception {
    URI console = URI.create("http://127.0.0.1:" + CONSOLE_PORT + "/");
    HttpResponse<String> loginPage = follow(browser, get(console));
    assertThat(loginPage.uri().getPort()).isEqualTo(AUTHORIZATION.port());
    String form =
        "username="
            + user
            + "&password="
            + URLEncoder.encode(password, StandardCharsets.UTF_8)
            + "&_csrf="
            + csrf(loginPage.body());
    return follow(
        browser,
        HttpRequest.newBuilder(loginPage.uri().resolve("/login"))
            .header("Accept", "text/html")
            .header("Content-Type", "application/x-www-form-urlencoded")
            .timeout(Duration.ofSeconds(10))
            .POST(HttpRequest.BodyPublishers.ofString(form))
            .build());
  }

  /** A client that keeps cookies per host, whatever the port, as browsers do. */
  private static HttpClient browser() {
    return HttpClient.newBuilder()
        .cookieHandler(new CookieManager())
        .followRedirects(HttpClient.Redirect.NEVER)
        .connectTimeout(Duration.ofSeconds(5))
        .build();
  }

  /** The CSRF token of the page's form, ready for a form body. */
  private static String csrf(String page) {
    Matcher csrf = CSRF.matcher(page);
    assertThat(csrf.find()).as("a CSRF token in a form of the page").isTrue();
    return URLEncoder.encode(
        csrf.group(1) != null ? csrf.group(1) : csrf.group(2), StandardCharsets.UTF_8);
  }

  private static HttpResponse<String> follow(HttpClient browser, HttpRequest request)
      throws IOException, InterruptedException {
    HttpResponse<String> response = browser.send(request, HttpResponse.BodyHandlers.ofString());
    for (int hops = 0; hops < 10 && response.statusCode() / 100 == 3; hops++) {
      URI next = response.uri().resolve(response.headers().firstValue("Location").orElseThrow());
      response = browser.send(get(next), HttpResponse.BodyHandlers.ofString());
    }
    return response;
  }

  private static HttpRequest get(URI uri) {
    return HttpRequest.newBuilder(uri)
        .header("Accept", "text/html")
        .timeout(Duration.ofSeconds(10))
        .GET()
        .build();
  }

  private static AuthorizationServerProcess authorizationServer() {
    String console = "http://127.0.0.1:" + CONSOLE_PORT;
    return AuthorizationServerProcess.start(
        Path.of("target", "console-login", "authorization-server.log"),
        List.of(
            "--asyncshop.authorization.users.olivia.password=olivia-password",
            "--asyncshop.authorization.users.sam.password=sam-password",
            "--asyncshop.authorization.console.secret=" + SECRET,
            // Shorter than the refresh's clock skew (60 s): every call to a service refreshes it.
            "--asyncshop.authorization.access-token-lifetime=10s",
            "--asyncshop.authorization.console.redirect-uris="
                + console
                + "/login/oauth2/code/asyncshop",
            "--asyncshop.authorization.console.post-logout-redirect-uris=" + console + "/"));
  }
}
