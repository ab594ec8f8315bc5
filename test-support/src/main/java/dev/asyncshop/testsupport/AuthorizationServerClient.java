package dev.asyncshop.testsupport;

import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Gets access tokens from the suite's authorization server the way its clients do: a machine client
 * with its secret (client credentials), and a person through the login form (authorization code
 * with PKCE, as the command-line client {@code asyncshop-cli} does), each step a real request.
 */
public final class AuthorizationServerClient {

  /** The public client people's tools log in with, and where it is sent back to. */
  public static final String CLI_CLIENT_ID = "asyncshop-cli";

  public static final String CLI_REDIRECT_URI = "http://127.0.0.1:8765/callback";

  private static final Pattern CSRF =
      Pattern.compile(
          "name=\"_csrf\"[^>]*value=\"([^\"]+)\"|value=\"([^\"]+)\"[^>]*name=\"_csrf\"");
  private static final Pattern ACCESS_TOKEN =
      Pattern.compile("\"access_token\"\\s*:\\s*\"([^\"]+)\"");
  private static final Pattern CODE = Pattern.compile("[?&]code=([^&]+)");

  private final URI base;

  public AuthorizationServerClient(URI base) {
    this.base = base;
  }

  /** A token for a machine client, with its own roles. */
  public String clientCredentials(String clientId, String secret) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    String basic =
        Base64.getEncoder()
            .encodeToString((clientId + ":" + secret).getBytes(StandardCharsets.UTF_8));
    HttpResponse<String> response =
        send(
            http,
            HttpRequest.newBuilder(base.resolve("/oauth2/token"))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", "Basic " + basic)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(form(Map.of("grant_type", "client_credentials", "scope", "shop")))
                .build());
    return accessToken(response, "client " + clientId);
  }

  /** A token for a person: logs in with the login form and trades the code for a token. */
  public String logIn(String user, String password) {
    HttpClient http =
        HttpClient.newBuilder()
            .cookieHandler(new CookieManager())
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    String verifier = randomUrlSafe();
    Map<String, String> authorize = new LinkedHashMap<>();
    authorize.put("response_type", "code");
    authorize.put("client_id", CLI_CLIENT_ID);
    authorize.put("redirect_uri", CLI_REDIRECT_URI);
    authorize.put("scope", "openid shop");
    authorize.put("state", randomUrlSafe());
    authorize.put("code_challenge", challenge(verifier));
    authorize.put("code_challenge_method", "S256");
    URI authorizeUri = base.resolve("/oauth2/authorize?" + query(authorize));

    send(http, browser(authorizeUri).GET().build()); // remembered, then sent to the login page
    HttpResponse<String> loginPage = send(http, browser(base.resolve("/login")).GET().build());
    Matcher csrf = CSRF.matcher(loginPage.body());
    if (!csrf.find()) {
      throw new IllegalStateException("No CSRF token on the login page: " + loginPage.body());
    }
    HttpResponse<String> loggedIn =
        send(
            http,
            browser(base.resolve("/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(
                    form(
                        Map.of(
                            "username",
                            user,
                            "password",
                            password,
                            "_csrf",
                            csrf.group(1) != null ? csrf.group(1) : csrf.group(2))))
                .build());
    String next = loggedIn.headers().firstValue("Location").orElse("");
    if (loggedIn.statusCode() != 302 || next.contains("error")) {
      throw new IllegalStateException("Logging in as " + user + " failed: " + next);
    }
    HttpResponse<String> redirected =
        send(http, browser(base.resolve(URI.create(next))).GET().build());
    String callback = redirected.headers().firstValue("Location").orElse("");
    Matcher code = CODE.matcher(callback);
    if (!callback.startsWith(CLI_REDIRECT_URI) || !code.find()) {
      throw new IllegalStateException(
          "No authorization code for " + user + ": " + redirected.statusCode() + " " + callback);
    }
    HttpResponse<String> token =
        send(
            http,
            HttpRequest.newBuilder(base.resolve("/oauth2/token"))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(
                    form(
                        Map.of(
                            "grant_type", "authorization_code",
                            "code", URLDecoder.decode(code.group(1), StandardCharsets.UTF_8),
                            "redirect_uri", CLI_REDIRECT_URI,
                            "client_id", CLI_CLIENT_ID,
                            "code_verifier", verifier)))
                .build());
    return accessToken(token, "user " + user);
  }

  private static HttpRequest.Builder browser(URI uri) {
    return HttpRequest.newBuilder(uri)
        .header("Accept", "text/html")
        .timeout(Duration.ofSeconds(10));
  }

  private static String accessToken(HttpResponse<String> response, String who) {
    Matcher token = ACCESS_TOKEN.matcher(response.body());
    if (response.statusCode() != 200 || !token.find()) {
      throw new IllegalStateException(
          "No token for " + who + ": " + response.statusCode() + " " + response.body());
    }
    return token.group(1);
  }

  private static HttpResponse<String> send(HttpClient http, HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IllegalStateException("The authorization server did not answer: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted", e);
    }
  }

  private static HttpRequest.BodyPublisher form(Map<String, String> fields) {
    return HttpRequest.BodyPublishers.ofString(query(fields));
  }

  private static String query(Map<String, String> fields) {
    return fields.entrySet().stream()
        .map(
            field ->
                URLEncoder.encode(field.getKey(), StandardCharsets.UTF_8)
                    + "="
                    + URLEncoder.encode(field.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
  }

  private static String randomUrlSafe() {
    byte[] bytes = new byte[32];
    new SecureRandom().nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static String challenge(String verifier) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
