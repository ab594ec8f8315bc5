package dev.asyncshop.console.services;

import dev.asyncshop.console.ConsoleSettings;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.client.ClientHttpRequestFactory;
import org.springframework.http.client.ClientHttpResponse;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.web.client.OAuth2ClientHttpRequestInterceptor;
import org.springframework.stereotype.Component;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * The services of {@link ConsoleSettings#services()}, each behind a client that sends the logged-in
 * operator's access token (so what the services record names the operator, not the console) and
 * turns every refusal into a {@link ServiceProblem}.
 */
@Component
public class Services {

  /** Matches the registration of the console's security configuration. */
  public static final String REGISTRATION = "asyncshop";

  private final Map<String, RestClient> clients = new LinkedHashMap<>();
  private final Map<String, URI> urls;
  private final JsonMapper json;

  Services(
      ConsoleSettings settings,
      ClientHttpRequestFactory requests,
      OAuth2AuthorizedClientManager tokens,
      JsonMapper json) {
    this.urls = settings.services();
    this.json = json;
    OAuth2ClientHttpRequestInterceptor relay = new OAuth2ClientHttpRequestInterceptor(tokens);
    relay.setClientRegistrationIdResolver(request -> REGISTRATION);
    urls.forEach(
        (name, url) ->
            clients.put(
                name,
                RestClient.builder()
                    .baseUrl(url.toString())
                    .requestFactory(requests)
                    .requestInterceptor(relay)
                    .defaultStatusHandler(
                        HttpStatusCode::isError,
                        (request, response) -> {
                          throw refusal(name, response);
                        })
                    .build()));
  }

  /** How the console's requests reach the services: the JDK's client, with the set timeouts. */
  @Configuration(proxyBeanMethods = false)
  static class Requests {

    @Bean
    ClientHttpRequestFactory serviceRequests(ConsoleSettings settings) {
      HttpClient http = HttpClient.newBuilder().connectTimeout(settings.connectTimeout()).build();
      JdkClientHttpRequestFactory requests = new JdkClientHttpRequestFactory(http);
      requests.setReadTimeout(settings.readTimeout());
      return requests;
    }
  }

  /** The services' short names, in the configured order. */
  public List<String> names() {
    return List.copyOf(clients.keySet());
  }

  public URI url(String service) {
    URI url = urls.get(service);
    if (url == null) {
      throw new UnknownServiceException(service, names());
    }
    return url;
  }

  /**
   * Runs a request against one service.
   *
   * @throws ServiceProblem when it refuses or cannot be reached
   * @throws UnknownServiceException when no service has that name
   */
  public <T> T call(String service, Function<RestClient, T> request) {
    RestClient client = clients.get(service);
    if (client == null) {
      throw new UnknownServiceException(service, names());
    }
    try {
      return request.apply(client);
    } catch (ResourceAccessException e) {
      throw ServiceProblem.unreachable(service, url(service).toString(), e);
    }
  }

  /** A service's error answer as a problem: its problem detail, or its status and body. */
  public ServiceProblem refusal(String service, ClientHttpResponse response) throws IOException {
    int status = response.getStatusCode().value();
    String body = new String(response.getBody().readAllBytes(), StandardCharsets.UTF_8);
    ProblemBody problem = problem(body);
    if (problem != null && (problem.title() != null || problem.detail() != null)) {
      return new ServiceProblem(service, status, problem.type(), problem.title(), problem.detail());
    }
    String reason = response.getStatusText();
    return new ServiceProblem(
        service,
        status,
        null,
        reason.isBlank() ? "HTTP " + status : reason,
        body.isBlank() ? null : abbreviate(body));
  }

  private @Nullable ProblemBody problem(String body) {
    if (!body.stripLeading().startsWith("{")) {
      return null;
    }
    try {
      return json.readValue(body, ProblemBody.class);
    } catch (JacksonException e) {
      return null;
    }
  }

  private static String abbreviate(String text) {
    return text.length() <= 300 ? text : text.substring(0, 300) + "…";
  }

  /** The fields of an RFC 9457 problem detail the console shows. */
  record ProblemBody(
      @Nullable String type, @Nullable String title, @Nullable String detail, int status) {}
}
