package dev.asyncshop.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The follower of {@code ./asyncshop replay} ({@code local/replay/follow.py}), run as it is against
 * a stand-in for a service that answers a scripted run of projection statuses, a look every 50 ms.
 * The status JSON is the shape of {@code ProjectionStatus}: the service lists the active generation
 * and the one being built, never a retired one.
 */
class ReplayFollowerTests {

  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final String PATH = "/ops/projections/customer-orders";
  private static final String BEARER = "Bearer operations-token";

  /** What a rebuild request of generation 3 answers, generation 2 being the active one. */
  private static final String ACCEPTED =
      status(building(3, 0, null), active(2, 1_600, "2026-12-01T10:00:00Z"));

  private final List<String> authorizations = Collections.synchronizedList(new ArrayList<>());
  private HttpServer service;

  @TempDir Path output;

  @AfterEach
  void stopService() {
    if (service != null) {
      service.stop(0);
    }
  }

  @Test
  void aRebuildThatCatchesUpIsFollowedToTheSwitch() throws Exception {
    serve(
        ok(status(building(3, 400, 1_200L), active(2, 1_600, "2026-12-01T10:00:00Z"))),
        ok(status(building(3, 1_200, null), active(2, 1_600, "2026-12-01T10:00:00Z"))),
        new Answer(503, "{}"),
        ok(status(active(3, 1_600, "2026-12-04T16:00:02.500Z"))));

    Followed followed = follow("--patience", "5");

    assertThat(followed.exit()).as(followed.toString()).isZero();
    assertThat(followed.out())
        .startsWith("generation 3 requested by operations; topics: orders.events\n")
        .containsPattern("\n  generation 3: 400 events read, [\\d,]+/s, lag 1,200\n")
        .containsPattern(
            "\n  generation 3: 1,200 events read, [\\d,]+/s,"
                + " lag unknown \\(Kafka did not answer\\)\n")
        .contains("the service does not answer (503 Service Unavailable)")
        .endsWith(
            "switched over: generation 3 is active, 1,600 events read in 2.5 s (640/s), lag 0\n"
                + "  generation 2 retired; its schema is dropped in a moment\n");
    assertThat(followed.err()).isEmpty();
    assertThat(authorizations).isNotEmpty().containsOnly(BEARER);
  }

  @Test
  void aRebuildGivenUpIsSaidSoAndFails() throws Exception {
    serve(
        ok(status(building(3, 400, 1_200L), active(2, 1_600, "2026-12-01T10:00:00Z"))),
        // After DELETE .../rebuild: generation 3 is retired, so no longer listed.
        ok(status(active(2, 1_600, "2026-12-01T10:00:00Z"))));

    Followed followed = follow("--patience", "5");

    assertThat(followed.exit()).as(followed.toString()).isEqualTo(1);
    assertThat(followed.out()).doesNotContain("switched over").doesNotContain("replaced");
    assertThat(followed.err())
        .isEqualTo(
            "rebuild given up: generation 3 was retired before it caught up (400 events read);"
                + " generation 2 stays active\n");
  }

  @Test
  void aRebuildGoneWhileANewerOneSwitchedOverIsNotCalledGivenUp() throws Exception {
    serve(
        ok(status(building(3, 400, 1_200L), active(2, 1_600, "2026-12-01T10:00:00Z"))),
        ok(status(active(4, 1_600, "2026-12-04T16:00:09Z"))));

    Followed followed = follow("--patience", "5");

    assertThat(followed.exit()).as(followed.toString()).isEqualTo(1);
    assertThat(followed.err())
        .contains("generation 3 is gone and generation 4 (requested by operations) is active")
        .contains("too quickly to tell")
        .doesNotContain("rebuild given up");
  }

  @Test
  void aRebuildWithoutProgressIsLeftToTheServiceOnceThePatienceRunsOut() throws Exception {
    serve(ok(status(building(3, 400, 1_200L), active(2, 1_600, "2026-12-01T10:00:00Z"))));

    Followed followed = follow(List.of("ASYNCSHOP_REPLAY_PATIENCE=0.5"));

    assertThat(followed.exit()).as(followed.toString()).isEqualTo(1);
    assertThat(followed.out()).contains("  generation 3: 400 events read, 0/s, lag 1,200\n");
    assertThat(followed.err())
        .startsWith("stopped following: no progress in 0.5 s")
        .contains("generation 3 goes on in the service, 400 events read so far")
        .contains("look at it with: curl")
        .contains(service() + "\n")
        .contains("-X DELETE " + service() + "/rebuild");
  }

  @Test
  void aRefusedTokenStopsTheFollowing() throws Exception {
    serve(
        ok(status(building(3, 400, 1_200L), active(2, 1_600, "2026-12-01T10:00:00Z"))),
        new Answer(401, ""));

    Followed followed = follow("--patience", "5");

    assertThat(followed.exit()).as(followed.toString()).isEqualTo(1);
    assertThat(followed.err())
        .startsWith("stopped following: the service refused the token (401 Unauthorized)")
        .contains("generation 3 goes on in the service")
        .contains("$(./asyncshop token operations)")
        .doesNotContain("operations-token");
  }

  private record Answer(int status, String body) {}

  private record Followed(int exit, String out, String err) {}

  private static Answer ok(String body) {
    return new Answer(200, body);
  }

  /** Answers the script in order, then its last answer again; 401 to any other token. */
  private void serve(Answer... script) throws IOException {
    AtomicInteger looks = new AtomicInteger();
    service = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    service.createContext(
        PATH,
        exchange -> {
          String authorization = exchange.getRequestHeaders().getFirst("Authorization");
          authorizations.add(authorization);
          Answer answer =
              BEARER.equals(authorization)
                  ? script[Math.min(looks.getAndIncrement(), script.length - 1)]
                  : new Answer(401, "");
          respond(exchange, answer);
        });
    service.start();
  }

  private static void respond(HttpExchange exchange, Answer answer) throws IOException {
    byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(answer.status(), body.length == 0 ? -1 : body.length);
    try (var out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  private String service() {
    return "http://127.0.0.1:" + service.getAddress().getPort() + PATH;
  }

  private Followed follow(String... options) throws Exception {
    return follow(List.of(), options);
  }

  private Followed follow(List<String> environment, String... options) throws Exception {
    List<String> command =
        new ArrayList<>(List.of("python3", "local/replay/follow.py", "--every", "0.05"));
    command.addAll(List.of(options));
    command.addAll(List.of(service(), "Authorization: " + BEARER, ACCEPTED));
    Path out = output.resolve("out.txt");
    Path err = output.resolve("err.txt");
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(ROOT.toFile())
            .redirectOutput(out.toFile())
            .redirectError(err.toFile());
    // Only what a test sets: a patience in this machine's environment would change the outcome.
    builder.environment().remove("ASYNCSHOP_REPLAY_PATIENCE");
    environment.forEach(
        setting -> {
          String[] parts = setting.split("=", 2);
          builder.environment().put(parts[0], parts[1]);
        });
    Process process = builder.start();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("follow.py still runs after 10 s: " + Files.readString(out));
    }
    return new Followed(process.exitValue(), Files.readString(out), Files.readString(err));
  }

  private static String status(String... generations) {
    return """
        {"name":"customer-orders","topics":["orders.events"],"generations":[%s]}"""
        .formatted(String.join(",", generations));
  }

  private static String building(int number, long events, Long lag) {
    return generation(number, "BUILDING", null, events, lag);
  }

  private static String active(int number, long events, String switchedAt) {
    return generation(number, "ACTIVE", switchedAt, events, 0L);
  }

  private static String generation(
      int number, String state, String switchedAt, long events, Long lag) {
    return """
        {"number":%d,"state":"%s","schema":"projection_customer_orders_%d",\
        "requestedAt":"2026-12-04T16:00:00Z","requestedBy":"operations","switchedAt":%s,\
        "events":%d,"lag":%s}"""
        .formatted(
            number,
            state,
            number,
            switchedAt == null ? "null" : "\"" + switchedAt + "\"",
            events,
            lag);
  }
}
