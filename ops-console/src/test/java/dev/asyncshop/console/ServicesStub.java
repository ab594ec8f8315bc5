package dev.asyncshop.console;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.client.ClientHttpRequest;
import org.springframework.http.client.ClientHttpRequestFactory;
import org.springframework.http.client.ClientHttpResponse;
import org.springframework.mock.http.client.MockClientHttpRequest;
import org.springframework.mock.http.client.MockClientHttpResponse;

/**
 * The services as the console sees them: each under a path of its own ({@code
 * /inventory/ops/dead-letters}, ...), answering with recorded JSON, and every request kept for the
 * tests to check what the console sent. Reached in this JVM as the console's request factory, so
 * the page tests need no network at all, or over HTTP once {@link #serve()} started a server.
 */
final class ServicesStub implements ClientHttpRequestFactory {

  /** A request as it arrived. */
  record Request(String method, String path, String query, String authorization, String body) {}

  private record Answer(int status, String contentType, String body) {}

  private static final String HOST = "http://services.stub/";

  private final Map<String, Answer> answers = new ConcurrentHashMap<>();
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final Set<String> down;
  private @Nullable HttpServer server;

  /**
   * @param down the services that do not answer at all, as if not running
   */
  ServicesStub(String... down) {
    this.down = Set.of(down);
  }

  /** A service's base URL: in this JVM, or on the HTTP server once it serves. */
  String url(String service) {
    return server == null
        ? HOST + service
        : "http://127.0.0.1:" + server.getAddress().getPort() + "/" + service;
  }

  /** Starts answering over HTTP on a free port of 127.0.0.1. */
  ServicesStub serve() {
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext("/", this::handle);
    server.start();
    return this;
  }

  /** Answers {@code method path} (the service's prefix included) with a recorded file. */
  ServicesStub answer(String method, String path, int status, String resource) {
    String contentType =
        resource.endsWith(".txt")
            ? "text/plain; version=0.0.4"
            : status >= 400 ? "application/problem+json" : "application/json";
    answers.put(method + " " + path, new Answer(status, contentType, read(resource)));
    return this;
  }

  List<Request> requests() {
    return List.copyOf(requests);
  }

  List<Request> requests(String method, String pathPrefix) {
    return requests.stream()
        .filter(request -> request.method().equals(method))
        .filter(request -> request.path().startsWith(pathPrefix))
        .toList();
  }

  void reset() {
    answers.clear();
    requests.clear();
  }

  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  @Override
  public ClientHttpRequest createRequest(URI uri, HttpMethod method) {
    return new MockClientHttpRequest(method, uri) {
      @Override
      protected ClientHttpResponse executeInternal() throws IOException {
        String service = uri.getPath().split("/")[1];
        if (down.contains(service)) {
          throw new ConnectException("Connection refused");
        }
        Answer answer =
            respond(
                method.name(),
                uri.getPath(),
                uri.getRawQuery(),
                getHeaders().getFirst("Authorization"),
                getBodyAsString());
        MockClientHttpResponse response =
            new MockClientHttpResponse(
                answer.body().getBytes(StandardCharsets.UTF_8),
                HttpStatus.valueOf(answer.status()));
        response.getHeaders().set("Content-Type", answer.contentType());
        return response;
      }
    };
  }

  private Answer respond(
      String method,
      String path,
      @Nullable String query,
      @Nullable String authorization,
      String body) {
    requests.add(
        new Request(
            method,
            path,
            query == null ? "" : query,
            authorization == null ? "" : authorization,
            body));
    Answer answer = answers.get(method + " " + path);
    return answer != null
        ? answer
        : new Answer(
            404,
            "application/problem+json",
            "{\"title\":\"Not Found\",\"status\":404,\"detail\":\"The stub has no answer for "
                + method
                + " "
                + path
                + "\"}");
  }

  private void handle(HttpExchange exchange) throws IOException {
    Answer answer =
        respond(
            exchange.getRequestMethod(),
            exchange.getRequestURI().getPath(),
            exchange.getRequestURI().getRawQuery(),
            exchange.getRequestHeaders().getFirst("Authorization"),
            new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
    byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", answer.contentType());
    exchange.sendResponseHeaders(answer.status(), bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }

  private static String read(String resource) {
    try (InputStream in = ServicesStub.class.getResourceAsStream("/parking-lot/" + resource)) {
      if (in == null) {
        throw new IllegalArgumentException("No test resource parking-lot/" + resource);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
