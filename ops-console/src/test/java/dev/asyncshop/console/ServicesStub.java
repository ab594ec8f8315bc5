package dev.asyncshop.console;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The services as the console sees them, in one in-process HTTP server: each service under a path
 * of its own ({@code /inventory/ops/dead-letters}, ...), answering with recorded JSON, and every
 * request kept for the tests to check what the console sent.
 */
final class ServicesStub {

  /** A request as it arrived. */
  record Request(String method, String path, String query, String authorization, String body) {}

  private record Answer(int status, String contentType, String body) {}

  private final HttpServer server;
  private final Map<String, Answer> answers = new ConcurrentHashMap<>();
  private final List<Request> requests = new CopyOnWriteArrayList<>();

  ServicesStub() {
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext("/", this::handle);
    server.start();
  }

  String url(String service) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/" + service;
  }

  /** Answers {@code method path} (the path after the service's prefix included) with a file. */
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
    server.stop(0);
  }

  private void handle(HttpExchange exchange) throws IOException {
    String method = exchange.getRequestMethod();
    String path = exchange.getRequestURI().getPath();
    String query = exchange.getRequestURI().getRawQuery();
    String authorization = exchange.getRequestHeaders().getFirst("Authorization");
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    requests.add(
        new Request(
            method,
            path,
            query == null ? "" : query,
            authorization == null ? "" : authorization,
            body));
    Answer answer = answers.get(method + " " + path);
    if (answer == null) {
      answer =
          new Answer(
              404,
              "application/problem+json",
              "{\"title\":\"Not Found\",\"status\":404,\"detail\":\"The stub has no answer for "
                  + method
                  + " "
                  + path
                  + "\"}");
    }
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
