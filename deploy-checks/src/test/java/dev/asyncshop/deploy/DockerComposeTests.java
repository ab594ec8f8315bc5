package dev.asyncshop.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Checks {@code docker-compose.yml}, the Dockerfile it builds and the files it mounts against the
 * services' own configuration. No Docker engine is needed; {@code docker-compose config} runs where
 * the tool exists.
 */
class DockerComposeTests {

  private static final Path COMPOSE_FILE = Suite.ROOT.resolve("docker-compose.yml");

  @SuppressWarnings("unchecked")
  private static Map<String, Object> compose() {
    return (Map<String, Object>) Suite.yamlDocuments(Suite.read(COMPOSE_FILE)).get(0);
  }

  private static ComposeChecks checks(Map<String, Object> compose) {
    return new ComposeChecks(compose, Suite.services(), Suite.console(), SpringEnvironment.boot());
  }

  @Test
  void theComposeFilePassesEveryCheck() {
    ComposeChecks checks = checks(compose());
    assertThat(checks.builtServices().values())
        .containsExactlyInAnyOrderElementsOf(Suite.services().keySet());
    assertThat(checks.problems()).isEmpty();
  }

  @Test
  void everyVariableIsInEnvExampleAndEveryEntryThereIsUsed() {
    Set<String> used = ComposeChecks.variables(Suite.read(COMPOSE_FILE));
    Set<String> defined = new TreeSet<>();
    for (String line : Suite.read(Suite.ROOT.resolve(".env.example")).lines().toList()) {
      if (line.matches("[A-Z_][A-Z0-9_]*=.*")) {
        defined.add(line.substring(0, line.indexOf('=')));
      }
    }
    assertThat(defined).isEqualTo(used);
    assertThat(Suite.read(Suite.ROOT.resolve(".gitignore")).lines()).contains(".env");
  }

  /** Only Compose itself knows its schema; where it is installed, it must accept the file. */
  @Test
  void dockerComposeAcceptsTheFileAndRefusesToRunWithoutSecrets() throws IOException {
    List<String> compose = composeCommand();
    if (compose.isEmpty()) {
      System.out.println(
          "Neither docker-compose nor the docker compose plugin is on PATH: the file's schema is not checked here; apt-get install docker-compose adds it");
      assertThat(checks(compose()).problems()).isEmpty();
      return;
    }
    List<String> withEnvExample = new ArrayList<>(compose);
    withEnvExample.addAll(
        List.of(
            "--env-file",
            ".env.example",
            "--profile",
            "observability",
            "-f",
            "docker-compose.yml",
            "config",
            "-q"));
    Suite.ProcessResult accepted = Suite.run(Suite.ROOT, Duration.ofSeconds(60), withEnvExample);
    assertThat(accepted.exitCode()).as(accepted.stderr()).isZero();

    // An empty env file and none of its variables in the environment: the secrets must be missed.
    Path empty = Files.createTempFile("empty", ".env");
    try {
      List<String> withoutEnv = new ArrayList<>(compose);
      withoutEnv.addAll(
          List.of("--env-file", empty.toString(), "-f", "docker-compose.yml", "config", "-q"));
      Suite.ProcessResult refused =
          Suite.run(
              Suite.ROOT,
              Duration.ofSeconds(60),
              withoutEnv,
              ComposeChecks.variables(Suite.read(COMPOSE_FILE)));
      assertThat(refused.exitCode()).isNotZero();
      assertThat(refused.stderr()).contains("PASSWORD");
    } finally {
      Files.delete(empty);
    }
  }

  private static List<String> composeCommand() {
    if (Suite.onPath("docker-compose").isPresent()) {
      return List.of("docker-compose");
    }
    if (Suite.onPath("docker").isPresent()
        && Suite.run(Suite.ROOT, Duration.ofSeconds(30), List.of("docker", "compose", "version"))
                .exitCode()
            == 0) {
      return List.of("docker", "compose");
    }
    return List.of();
  }

  @Test
  @SuppressWarnings("unchecked")
  void theInitScriptCreatesTheDatabasesTheServicesUse() {
    Set<String> created =
        KubernetesManifestsTests.createdDatabases(
            Suite.read(Suite.ROOT.resolve("deploy/postgres/init-databases.sql")));
    Set<String> used = new TreeSet<>();
    Map<String, Map<String, Object>> services = checks(compose()).composeServices();
    checks(compose())
        .builtServices()
        .keySet()
        .forEach(
            name -> {
              String url =
                  ComposeChecks.environment(services.get(name).get("environment"))
                      .get("SPRING_DATASOURCE_URL");
              assertThat(url)
                  .as(name + " SPRING_DATASOURCE_URL")
                  .startsWith("jdbc:postgresql://postgres:5432/");
              used.add(url.substring(url.lastIndexOf('/') + 1));
            });
    assertThat(used).isEqualTo(created).hasSize(Suite.services().size());
    assertThat((List<String>) services.get("postgres").get("volumes"))
        .contains(
            "./deploy/postgres/init-databases.sql:/docker-entrypoint-initdb.d/init-databases.sql:ro");
  }

  @Test
  @SuppressWarnings("unchecked")
  void prometheusScrapesEveryServiceOnItsOwnPort() {
    Map<String, Object> prometheus =
        (Map<String, Object>)
            Suite.yamlDocuments(Suite.read(Suite.ROOT.resolve("deploy/prometheus/prometheus.yml")))
                .get(0);
    Set<String> targets = new TreeSet<>();
    for (Map<String, Object> job : (List<Map<String, Object>>) prometheus.get("scrape_configs")) {
      assertThat(job.get("metrics_path")).isEqualTo("/actuator/prometheus");
      for (Map<String, Object> group : (List<Map<String, Object>>) job.get("static_configs")) {
        targets.addAll((List<String>) group.get("targets"));
      }
    }
    Set<String> expected = new TreeSet<>();
    Suite.services().values().forEach(s -> expected.add(s.name() + ":" + s.port()));
    assertThat(targets).isEqualTo(expected);
    Map<String, Map<String, Object>> services = checks(compose()).composeServices();
    assertThat(services.get("prometheus").get("profiles")).isEqualTo(List.of("observability"));
    assertThat(services.get("grafana").get("profiles")).isEqualTo(List.of("observability"));
  }

  /**
   * The dashboard asks only for meters the library registers, and shows every one the issue names.
   */
  @Test
  void theDashboardShowsTheMessagingMetricsOfTheLibrary() throws IOException {
    Set<String> meters = libraryMeters();
    JsonNode dashboard =
        new ObjectMapper()
            .readTree(Suite.ROOT.resolve("deploy/grafana/dashboards/messaging.json").toFile());
    String datasource =
        String.valueOf(
            ((Map<?, ?>)
                    ((List<?>)
                            ((Map<?, ?>)
                                    Suite.yamlDocuments(
                                            Suite.read(
                                                Suite.ROOT.resolve(
                                                    "deploy/grafana/provisioning/datasources/prometheus.yml")))
                                        .get(0))
                                .get("datasources"))
                        .get(0))
                .get("uid"));
    Set<String> shown = new TreeSet<>();
    Pattern metric = Pattern.compile("\\b(messaging_[a-z_]+)");
    for (JsonNode panel : dashboard.path("panels")) {
      assertThat(panel.path("datasource").path("uid").asText()).isEqualTo(datasource);
      for (JsonNode target : panel.path("targets")) {
        Matcher matcher = metric.matcher(target.path("expr").asText());
        while (matcher.find()) {
          String meter =
              matcher
                  .group(1)
                  .replaceFirst("_(total|bucket|sum|count|max)$", "")
                  .replaceFirst("_seconds$", "")
                  .replace('_', '.');
          assertThat(meters)
              .as("meter of " + matcher.group(1) + " in panel " + panel.path("title").asText())
              .contains(meter);
          shown.add(meter);
        }
      }
    }
    assertThat(shown)
        .contains(
            "messaging.published",
            "messaging.consumed",
            "messaging.retried",
            "messaging.dead.lettered",
            "messaging.duplicates.skipped",
            "messaging.end.to.end.latency",
            "messaging.queue.depth",
            "messaging.consumer.lag",
            "messaging.outbox.backlog",
            "messaging.queue.wait",
            "messaging.handler.duration",
            "messaging.dead.letter.depth",
            "messaging.ordering.violations");
    // p95 needs histogram buckets, which Micrometer publishes only when asked to.
    checks(compose())
        .builtServices()
        .keySet()
        .forEach(
            name ->
                assertThat(
                        ComposeChecks.environment(
                            checks(compose()).composeServices().get(name).get("environment")))
                    .containsEntry(
                        "MANAGEMENT_METRICS_DISTRIBUTION_PERCENTILESHISTOGRAM_MESSAGING", "true"));
  }

  /** The meter names that common-messaging's MessagingMetrics declares. */
  private static Set<String> libraryMeters() throws IOException {
    Path source;
    try (Stream<Path> files = Files.walk(Suite.ROOT.resolve("common-messaging/src/main/java"))) {
      source =
          files
              .filter(f -> f.getFileName().toString().equals("MessagingMetrics.java"))
              .findFirst()
              .orElseThrow(
                  () ->
                      new IllegalStateException(
                          "common-messaging has no MessagingMetrics.java any more"));
    }
    Set<String> meters = new TreeSet<>();
    Matcher constant =
        Pattern.compile("static final String \\w+ = \"(messaging\\.[a-z.]+)\"")
            .matcher(Suite.read(source));
    while (constant.find()) {
      meters.add(constant.group(1));
    }
    return meters;
  }

  @Test
  void theDockerfileBuildsAPinnedNonRootImageSizedForItsContainer() {
    String dockerfile = Suite.read(Suite.ROOT.resolve("Dockerfile"));
    List<String> images = new ArrayList<>();
    Matcher from = Pattern.compile("(?m)^FROM\\s+(\\S+)").matcher(dockerfile);
    while (from.find()) {
      images.add(from.group(1));
    }
    assertThat(images)
        .hasSize(2)
        .allSatisfy(
            image -> assertThat(ManifestChecks.imageTag(image)).isNotNull().isNotEqualTo("latest"));
    assertThat(images.get(1)).contains("jre");
    assertThat(dockerfile).contains("-pl \"${MODULE}\" -am", "ARG MODULE=${SERVICE}-service");
    Matcher user = Pattern.compile("(?m)^USER\\s+(\\d+)").matcher(dockerfile);
    assertThat(user.find()).as("a numeric USER").isTrue();
    assertThat(Integer.parseInt(user.group(1))).isPositive();
    assertThat(dockerfile)
        .containsPattern(
            "(?m)^HEALTHCHECK[^\\n]*(\\\\\\n[^\\n]*)*" + Pattern.quote(ManifestChecks.LIVENESS));
    assertThat(dockerfile).contains("-XX:MaxRAMPercentage=50", "-XX:+ExitOnOutOfMemoryError");
    // The CDS archive is written by the runtime image's own JVM, and the service starts with it.
    String runtimeStage = dockerfile.substring(dockerfile.lastIndexOf("\nFROM "));
    assertThat(runtimeStage)
        .contains("RUN sh /app/train-cds.sh /app/app.jar /app/app.jsa")
        .contains("\"-XX:SharedArchiveFile=/app/app.jsa\"");
    assertThat(dockerfile).contains("-Djarmode=tools", "cp deploy/train-cds.sh /out/");
    assertThat(Suite.read(Suite.ROOT.resolve(".dockerignore")).lines())
        .contains(".git", "**/target", ".env", "!deploy/train-cds.sh");
  }

  /** Parallel builds share the Maven cache mount, and formatting is the build's check. */
  @Test
  void theImageBuildLocksItsMavenCacheAndLeavesFormattingToTheBuild() {
    String dockerfile = Suite.read(Suite.ROOT.resolve("Dockerfile"));
    Matcher mounts = Pattern.compile("--mount=type=cache,[^\\s]*").matcher(dockerfile);
    assertThat(mounts.find()).as("a Maven cache mount").isTrue();
    do {
      assertThat(mounts.group()).contains("sharing=locked");
    } while (mounts.find());
    assertThat(dockerfile).contains("-Dspotless.check.skip=true");
  }

  /** A script checked out with CRLF fails inside the Linux images ("sh\r: not found"). */
  @Test
  void everyScriptKeepsLfLineEndingsInEveryCheckout() {
    Suite.ProcessResult files =
        Suite.run(Suite.ROOT, java.time.Duration.ofSeconds(30), List.of("git", "ls-files"));
    assertThat(files.exitCode()).as(files.stderr()).isZero();
    List<String> scripts =
        files
            .stdout()
            .lines()
            .filter(f -> !f.endsWith(".cmd"))
            .filter(
                f -> {
                  java.nio.file.Path path = Suite.ROOT.resolve(f);
                  return java.nio.file.Files.isRegularFile(path)
                      && (f.endsWith(".sh") || startsWithShebang(path));
                })
            .toList();
    assertThat(scripts).contains("mvnw", "asyncshop");
    List<String> command = new ArrayList<>(List.of("git", "check-attr", "eol", "--"));
    command.addAll(scripts);
    Suite.ProcessResult attributes =
        Suite.run(Suite.ROOT, java.time.Duration.ofSeconds(30), command);
    assertThat(attributes.stdout().lines())
        .hasSize(scripts.size())
        .allSatisfy(line -> assertThat(line).endsWith(": eol: lf"));
  }

  private static boolean startsWithShebang(java.nio.file.Path file) {
    try (var in = java.nio.file.Files.newInputStream(file)) {
      byte[] start = in.readNBytes(2);
      return start.length == 2 && start[0] == '#' && start[1] == '!';
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  // ---- the checks catch what they claim to: each breaks one thing in a copy of the file

  @Test
  void catchesAConsoleThatIsMissingOrMisconfigured() {
    assertCaught(s -> s.remove("ops-console"), "ops-console: no compose service runs it");
    assertCaught(
        s -> s.get("ops-console").put("ports", List.of("127.0.0.1:8090:8080")),
        "ops-console: maps port 127.0.0.1:8090:8080, but the service listens on server.port 8090");
    assertCaught(
        s -> env(s, "ops-console").put("SPRING_DATA_REDIS_PASSWORD", "secret"),
        "ops-console: SPRING_DATA_REDIS_PASSWORD holds a literal value");
    assertCaught(
        s -> env(s, "ops-console").put("REDIS_HOSTNAME", "redis"),
        "ops-console: sets REDIS_HOSTNAME");
  }

  @Test
  void catchesAServiceWithoutHealthCheck() {
    assertCaught(s -> s.get("redis").remove("healthcheck"), "redis: has no health check");
  }

  @Test
  void catchesADependencyThatDoesNotExistOrIsNotAwaitedHealthy() {
    assertCaught(
        s -> dependsOn(s, "order-service").put("zookeeper", Map.of("condition", "service_healthy")),
        "depends on zookeeper, which is no service");
    assertCaught(
        s -> dependsOn(s, "order-service").put("kafka", Map.of("condition", "service_started")),
        "with condition service_started");
    assertCaught(
        s -> s.get("payment-service").put("depends_on", List.of("kafka")),
        "without condition: service_healthy");
  }

  @Test
  void catchesAnImageWithoutPinnedTag() {
    assertCaught(
        s -> s.get("redis").put("image", "redis:latest"), "image redis:latest has no pinned tag");
    assertCaught(s -> s.get("kafka").put("image", "apache/kafka"), "has no pinned tag");
  }

  @Test
  void catchesAPortTheServiceDoesNotServe() {
    assertCaught(
        s -> s.get("shipping-service").put("ports", List.of("127.0.0.1:8084:8080")),
        "but the service listens on server.port 8084");
  }

  @Test
  void catchesAnEnvironmentVariableTheServiceDoesNotRead() {
    assertCaught(
        s -> env(s, "inventory-service").put("RABBIT_HOST", "rabbitmq"), "sets RABBIT_HOST");
    assertCaught(
        s -> env(s, "inventory-service").put("SPRING_RABBITMQ_HOSTNAME", "rabbitmq"),
        "sets SPRING_RABBITMQ_HOSTNAME");
    assertCaught(
        s -> env(s, "inventory-service").put("SPRING_RABBITMQ_PASSWORD", "guest"),
        "holds a literal value");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> dependsOn(
      Map<String, Map<String, Object>> services, String name) {
    return (Map<String, Object>) services.get(name).get("depends_on");
  }

  @Test
  void catchesAContainerWithoutMemoryLimit() {
    assertCaught(s -> s.get("kafka").remove("mem_limit"), "kafka: has no memory limit");
    assertCaught(
        s -> s.get("payment-service").remove("mem_limit"), "payment-service: has no memory limit");
  }

  @Test
  void catchesAStopTimeoutShorterThanSpringsGracefulShutdown() {
    assertCaught(
        s -> s.get("order-service").remove("stop_grace_period"),
        "order-service: stop_grace_period 10s (Docker's default) is shorter than Spring's"
            + " shutdown phase of 30s");
    assertCaught(
        s -> s.get("shipping-service").put("stop_grace_period", "30s"),
        "shipping-service: stop_grace_period 30s is shorter");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> env(Map<String, Map<String, Object>> services, String name) {
    return (Map<String, Object>) services.get(name).get("environment");
  }

  private static void assertCaught(
      Consumer<Map<String, Map<String, Object>>> breakIt, String expected) {
    Map<String, Object> copy = KubernetesManifestsTests.deepCopy(compose());
    ComposeChecks checks = checks(copy);
    breakIt.accept(checks.composeServices());
    assertThat(checks.problems()).anySatisfy(p -> assertThat(p).contains(expected));
  }
}
