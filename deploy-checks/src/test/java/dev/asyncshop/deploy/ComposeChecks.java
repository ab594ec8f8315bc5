package dev.asyncshop.deploy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The checks of {@code docker-compose.yml} against the services' own configuration. Each method
 * adds what it finds wrong to {@link #problems()} as {@code service: what}.
 */
final class ComposeChecks {

  /** {@code ${NAME}}, {@code ${NAME:-default}}, {@code ${NAME:?message}}; {@code $$} escapes. */
  static final Pattern VARIABLE =
      Pattern.compile("(?<!\\$)\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?}");

  /**
   * A variable that holds a secret. The authorization server's addresses ({@code
   * AUTHORIZATION_ISSUER}, {@code AUTHORIZATION_JWKS_URI} and the console's {@code
   * CONSOLE_AUTHORIZATION_BROWSERURI}) and a variable ending in {@code FILE}, the path of a mounted
   * secret, are none.
   */
  private static final Pattern SECRET_NAME =
      Pattern.compile(
          "(?i)(?!.*FILE$)(?!(CONSOLE_)?AUTHORIZATION_(ISSUER|JWKS_URI|BROWSERURI)$)"
              + ".*(PASSWORD|PASS|SECRET|TOKEN|AUTH|CREDENTIAL).*");

  private final Map<String, Object> compose;
  private final Map<String, ServiceConfig> services;
  private final ServiceConfig console;
  private final SpringEnvironment spring;
  private final List<String> problems = new ArrayList<>();

  /**
   * @param console the operators' console, built from its module (build argument MODULE) and
   *     checked as a service is
   */
  ComposeChecks(
      Map<String, Object> compose,
      Map<String, ServiceConfig> services,
      ServiceConfig console,
      SpringEnvironment spring) {
    this.compose = compose;
    this.services = services;
    this.console = console;
    this.spring = spring;
  }

  @SuppressWarnings("unchecked")
  Map<String, Map<String, Object>> composeServices() {
    return (Map<String, Map<String, Object>>) compose.getOrDefault("services", Map.of());
  }

  /** The compose services built from the Dockerfile, by the suite service they run. */
  Map<String, String> builtServices() {
    Map<String, String> built = new LinkedHashMap<>();
    composeServices()
        .forEach(
            (name, definition) ->
                buildArgument(definition).ifPresent(arg -> built.put(name, arg + "-service")));
    return built;
  }

  List<String> problems() {
    problems.clear();
    composeServices().forEach(this::check);
    for (String service : services.keySet()) {
      if (!builtServices().containsValue(service)) {
        problems.add(service + ": no compose service runs it");
      }
    }
    if (composeServices().values().stream()
        .noneMatch(d -> moduleArgument(d).filter(console.name()::equals).isPresent())) {
      problems.add(console.name() + ": no compose service runs it");
    }
    return List.copyOf(problems);
  }

  private void problem(String service, String what) {
    problems.add(service + ": " + what);
  }

  /**
   * Without a memory limit a JVM sizes its heap from the whole machine's memory, and a broker takes
   * what it finds; Docker stops a container with SIGKILL 10 s after SIGTERM unless told otherwise,
   * which cuts Spring's graceful shutdown (30 s by default) short.
   */
  @SuppressWarnings("unchecked")
  private void checkMemoryAndStop(
      String name, Map<String, Object> definition, Map<String, String> environment) {
    Object deployLimit =
        definition.get("deploy") instanceof Map<?, ?> deploy
                && deploy.get("resources") instanceof Map<?, ?> resources
                && resources.get("limits") instanceof Map<?, ?> limits
            ? limits.get("memory")
            : null;
    if (definition.get("mem_limit") == null && deployLimit == null) {
      problem(name, "has no memory limit (mem_limit)");
    }
    if (definition.get("build") == null) {
      return;
    }
    ServiceConfig service =
        buildArgument(definition).map(arg -> services.get(arg + "-service")).orElse(null);
    String phase =
        environment.getOrDefault(
            "SPRING_LIFECYCLE_TIMEOUTPERSHUTDOWNPHASE",
            service == null
                ? "30s"
                : String.valueOf(
                    service
                        .properties()
                        .getOrDefault("spring.lifecycle.timeout-per-shutdown-phase", "30s")));
    java.time.Duration needed = CapacityChecks.duration(phase).plus(CapacityChecks.EXIT_MARGIN);
    Object grace = definition.get("stop_grace_period");
    java.time.Duration given =
        grace == null ? java.time.Duration.ofSeconds(10) : composeDuration(grace.toString());
    if (given.compareTo(needed) < 0) {
      problem(
          name,
          "stop_grace_period "
              + (grace == null ? "10s (Docker's default)" : grace)
              + " is shorter than Spring's shutdown phase of "
              + phase
              + " plus "
              + CapacityChecks.EXIT_MARGIN.toSeconds()
              + " s to exit");
    }
  }

  /** A Compose duration: {@code 40s}, {@code 1m30s}, {@code 500ms}. */
  static java.time.Duration composeDuration(String text) {
    java.time.Duration total = java.time.Duration.ZERO;
    Matcher part = Pattern.compile("([0-9]+)(ms|us|s|m|h)").matcher(text.trim());
    while (part.find()) {
      long amount = Long.parseLong(part.group(1));
      total =
          total.plus(
              switch (part.group(2)) {
                case "h" -> java.time.Duration.ofHours(amount);
                case "m" -> java.time.Duration.ofMinutes(amount);
                case "s" -> java.time.Duration.ofSeconds(amount);
                case "ms" -> java.time.Duration.ofMillis(amount);
                default -> java.time.Duration.ZERO;
              });
    }
    return total;
  }

  /**
   * A set-up step that runs to its end, never restarted or only on failure (kafka-setup, the broker
   * users): it has no health to check, and whoever needs it waits for it to complete.
   */
  static boolean isOneShot(Map<String, Object> definition) {
    String restart = String.valueOf(definition.get("restart"));
    return (restart.equals("no") || restart.equals("on-failure"))
        && !definition.containsKey("ports");
  }

  @SuppressWarnings("unchecked")
  private void check(String name, Map<String, Object> definition) {
    Object healthcheck = definition.get("healthcheck");
    if (!isOneShot(definition)
        && (!(healthcheck instanceof Map<?, ?> health)
            || Boolean.TRUE.equals(health.get("disable"))
            || testOf(health).isBlank()
            || testOf(health).equals("NONE"))) {
      problem(name, "has no health check");
    }
    Object dependsOn = definition.get("depends_on");
    if (dependsOn instanceof List<?> list) {
      problem(name, "depends on " + list + " without condition: service_healthy");
    } else if (dependsOn instanceof Map<?, ?> map) {
      map.forEach(
          (target, condition) -> {
            if (!composeServices().containsKey(String.valueOf(target))) {
              problem(name, "depends on " + target + ", which is no service of the file");
            }
            Object value = condition instanceof Map<?, ?> c ? c.get("condition") : null;
            Map<String, Object> dependency = composeServices().get(String.valueOf(target));
            String expected =
                dependency != null && isOneShot(dependency)
                    ? "service_completed_successfully"
                    : "service_healthy";
            if (!expected.equals(value)) {
              problem(
                  name, "depends on " + target + " with condition " + value + ", not " + expected);
            }
          });
    }
    Object image = definition.get("image");
    if (image == null && definition.get("build") == null) {
      problem(name, "has neither an image nor a build");
    }
    if (image != null) {
      String tag = ManifestChecks.imageTag(withDefaults(image.toString()));
      if (tag == null || tag.equals("latest")) {
        problem(name, "image " + image + " has no pinned tag");
      }
    }
    Map<String, String> environment = environment(definition.get("environment"));
    environment.forEach(
        (variable, value) -> {
          // a *FILE variable names where a mounted secret is, which is no secret itself
          if (SECRET_NAME.matcher(variable).matches()
              && !variable.endsWith("FILE")
              && value != null
              && !value.matches("\\$\\{[^}]+}")) {
            problem(name, variable + " holds a literal value; secrets come from .env");
          }
        });
    checkMemoryAndStop(name, definition, environment);
    if (moduleArgument(definition).filter(console.name()::equals).isPresent()) {
      if (!name.equals(console.name())) {
        problem(name, "builds MODULE=" + console.name() + " under another name");
      }
      checkServed(name, definition, console, environment);
      return;
    }
    Optional<String> built = buildArgument(definition);
    if (built.isEmpty()) {
      return;
    }
    ServiceConfig service = services.get(built.get() + "-service");
    if (service == null || !name.equals(service.name())) {
      problem(
          name,
          "builds SERVICE=" + built.get() + ", which is not the service " + name + " of the suite");
      return;
    }
    checkServed(name, definition, service, environment);
  }

  /** Its port, health check and environment against its own configuration. */
  @SuppressWarnings("unchecked")
  private void checkServed(
      String name,
      Map<String, Object> definition,
      ServiceConfig service,
      Map<String, String> environment) {
    Object healthcheck = definition.get("healthcheck");
    for (Object port : (List<Object>) definition.getOrDefault("ports", List.of())) {
      Optional<Integer> target = containerPort(port);
      if (target.isEmpty() || target.get() != service.port()) {
        problem(
            name,
            "maps port " + port + ", but the service listens on server.port " + service.port());
      }
    }
    if (healthcheck instanceof Map<?, ?> health
        && !testOf(health).contains(":" + service.port() + ManifestChecks.LIVENESS)) {
      problem(
          name,
          "its health check does not ask "
              + ManifestChecks.LIVENESS
              + " on port "
              + service.port());
    }
    environment.keySet().stream()
        // The console's own settings (console.*, its ConsoleSettings record) are listed in no
        // metadata on this class path.
        .filter(variable -> service != console || !variable.startsWith("CONSOLE_"))
        .forEach(
            variable ->
                spring
                    .unread(variable, service)
                    .ifPresent(why -> problem(name, "sets " + variable + ", which " + why)));
  }

  private static String testOf(Map<?, ?> health) {
    Object test = health.get("test");
    return test instanceof List<?> list
        ? String.join(" ", list.stream().map(String::valueOf).toList())
        : String.valueOf(test == null ? "" : test);
  }

  /** The module a service is built from by the build argument MODULE (not SERVICE). */
  private static Optional<String> moduleArgument(Map<String, Object> definition) {
    if (definition.get("build") instanceof Map<?, ?> build
        && build.get("args") instanceof Map<?, ?> args
        && args.get("MODULE") != null) {
      return Optional.of(String.valueOf(args.get("MODULE")));
    }
    return Optional.empty();
  }

  @SuppressWarnings("unchecked")
  private static Optional<String> buildArgument(Map<String, Object> definition) {
    if (definition.get("build") instanceof Map<?, ?> build
        && build.get("args") instanceof Map<?, ?> args
        && args.get("SERVICE") != null) {
      return Optional.of(String.valueOf(args.get("SERVICE")));
    }
    return Optional.empty();
  }

  /** The environment of a service, in either of Compose's two forms. */
  static Map<String, String> environment(Object environment) {
    Map<String, String> variables = new LinkedHashMap<>();
    if (environment instanceof Map<?, ?> map) {
      map.forEach((k, v) -> variables.put(String.valueOf(k), v == null ? null : String.valueOf(v)));
    } else if (environment instanceof List<?> list) {
      for (Object entry : list) {
        String[] pair = String.valueOf(entry).split("=", 2);
        variables.put(pair[0], pair.length == 2 ? pair[1] : null);
      }
    }
    return variables;
  }

  /**
   * The container side of a port mapping: "8081", "8081:8081", "127.0.0.1:8081:8081/tcp", or long
   * form.
   */
  static Optional<Integer> containerPort(Object port) {
    if (port instanceof Map<?, ?> map) {
      return Optional.ofNullable(map.get("target")).map(t -> Integer.parseInt(t.toString()));
    }
    String text = withDefaults(String.valueOf(port)).replaceFirst("/(tcp|udp)$", "");
    String last = text.substring(text.lastIndexOf(':') + 1);
    return last.matches("\\d+") ? Optional.of(Integer.parseInt(last)) : Optional.empty();
  }

  /** The text with every variable replaced by its default (or nothing). */
  static String withDefaults(String text) {
    Matcher matcher = VARIABLE.matcher(text);
    StringBuilder out = new StringBuilder();
    while (matcher.find()) {
      String replacement =
          "-".equals(matcher.group(2)) || ":-".equals(matcher.group(2)) ? matcher.group(3) : "";
      matcher.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    return matcher.appendTail(out).toString();
  }

  /** The variables a text uses. */
  static Set<String> variables(String text) {
    Set<String> names = new TreeSet<>();
    Matcher matcher = VARIABLE.matcher(text);
    while (matcher.find()) {
      names.add(matcher.group(1));
    }
    return names;
  }
}
