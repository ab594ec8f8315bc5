package dev.asyncshop.deploy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Lifecycle;
import io.fabric8.kubernetes.api.model.LifecycleHandler;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether the capacity settings of a rendered overlay add up: database connections at the most pods
 * every service may run against PostgreSQL's {@code max_connections}, the JVM's heap inside the
 * container's memory limit, and Spring's graceful shutdown inside the pod's termination grace
 * period.
 */
final class CapacityChecks {

  /** What a service's JVM needs besides its heap: metaspace, JIT code, thread stacks, buffers. */
  static final long NON_HEAP_BYTES = 192L * 1024 * 1024;

  /**
   * Time the JVM needs after the last shutdown phase (closing the context, exit), counted on top of
   * the phase timeout and the preStop pause.
   */
  static final Duration EXIT_MARGIN = Duration.ofSeconds(5);

  /** Platform settings the prod overlay states, as a ConfigMap that only the checks read. */
  static final String PLATFORM = "asyncshop-platform";

  private static final int HIKARI_DEFAULT_POOL = 10;
  private static final int POSTGRES_DEFAULT_MAX = 100;
  private static final int POSTGRES_DEFAULT_RESERVED = 3;
  private static final Pattern ENTRYPOINT = Pattern.compile("(?m)^ENTRYPOINT\\s+\\[(.*)]\\s*$");

  /** A connection budget line: a service, its pool, its most pods and their product. */
  record Connections(String service, int pool, int peakPods) {
    int total() {
      return pool * peakPods;
    }
  }

  private final ManifestChecks manifests;
  private final Workloads workloads;
  private final Map<String, ServiceConfig> services;
  private final List<String> imageFlags;
  private final List<String> problems = new ArrayList<>();

  /**
   * @param dockerfile the services' Dockerfile, whose ENTRYPOINT holds the JVM flags of every
   *     asyncshop image
   */
  CapacityChecks(ManifestChecks manifests, Map<String, ServiceConfig> services, String dockerfile) {
    this.manifests = manifests;
    this.workloads = new Workloads(manifests);
    this.services = services;
    Matcher entrypoint = ENTRYPOINT.matcher(dockerfile);
    this.imageFlags =
        entrypoint.find()
            ? Arrays.stream(entrypoint.group(1).split(","))
                .map(s -> s.trim().replaceAll("^\"|\"$", ""))
                .toList()
            : List.of();
  }

  List<String> problems() {
    problems.clear();
    checkDatabaseConnections();
    for (Deployment deployment : manifests.all(Deployment.class)) {
      checkHeapFitsLimit(deployment);
    }
    manifests.serviceDeployments().forEach(this::checkShutdownBudget);
    manifests.consoleDeployments().forEach(this::checkShutdownBudget);
    return List.copyOf(problems);
  }

  private void problem(Deployment deployment, String what) {
    problems.add("Deployment/" + deployment.getMetadata().getName() + ": " + what);
  }

  // ---- database connections

  /** Every service's pool times its most pods, in the order of the services. */
  List<Connections> connections() {
    List<Connections> lines = new ArrayList<>();
    for (ServiceConfig service : services.values()) {
      if (!service.properties().containsKey("spring.datasource.url")) {
        continue;
      }
      workloads
          .deployment(service.name())
          .ifPresent(
              d ->
                  lines.add(
                      new Connections(
                          service.name(), poolSize(d, service), workloads.peakPods(d))));
    }
    return lines;
  }

  private int poolSize(Deployment deployment, ServiceConfig service) {
    String fromEnv =
        workloads.environment(deployment).get("SPRING_DATASOURCE_HIKARI_MAXIMUMPOOLSIZE");
    Object own = service.properties().get("spring.datasource.hikari.maximum-pool-size");
    return fromEnv != null
        ? Integer.parseInt(fromEnv)
        : own != null ? Integer.parseInt(own.toString()) : HIKARI_DEFAULT_POOL;
  }

  /** PostgreSQL's max_connections less the connections kept for administrators. */
  Optional<Integer> usableConnections() {
    Optional<ConfigMap> platform = workloads.configMap(PLATFORM);
    if (platform.isPresent() && platform.get().getData() != null) {
      Map<String, String> data = platform.get().getData();
      if (data.containsKey("POSTGRES_MAX_CONNECTIONS")) {
        return Optional.of(
            Integer.parseInt(data.get("POSTGRES_MAX_CONNECTIONS"))
                - Integer.parseInt(
                    data.getOrDefault(
                        "POSTGRES_RESERVED_CONNECTIONS",
                        String.valueOf(POSTGRES_DEFAULT_RESERVED))));
      }
    }
    for (StatefulSet set : manifests.all(StatefulSet.class)) {
      for (Container container : set.getSpec().getTemplate().getSpec().getContainers()) {
        if (container.getImage() != null && container.getImage().startsWith("postgres:")) {
          int max = POSTGRES_DEFAULT_MAX;
          for (String arg : container.getArgs()) {
            if (arg.startsWith("max_connections=")) {
              max = Integer.parseInt(arg.substring("max_connections=".length()));
            }
          }
          return Optional.of(max - POSTGRES_DEFAULT_RESERVED);
        }
      }
    }
    return Optional.empty();
  }

  private void checkDatabaseConnections() {
    List<Connections> lines = connections();
    if (lines.isEmpty()) {
      return;
    }
    Optional<Integer> usable = usableConnections();
    if (usable.isEmpty()) {
      problems.add(
          "the services' databases: no PostgreSQL in the overlay and no ConfigMap "
              + PLATFORM
              + " with POSTGRES_MAX_CONNECTIONS, so their pools cannot be checked");
      return;
    }
    int total = lines.stream().mapToInt(Connections::total).sum();
    if (total > usable.get()) {
      problems.add(
          "the services' databases: "
              + total
              + " connections at the most pods ("
              + String.join(
                  ", ",
                  lines.stream()
                      .map(c -> c.service() + " " + c.pool() + " x " + c.peakPods())
                      .toList())
              + ") exceed the "
              + usable.get()
              + " PostgreSQL admits beyond its reserved connections");
    }
  }

  // ---- heap and memory limit

  private void checkHeapFitsLimit(Deployment deployment) {
    Container container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
    if (container.getImage() == null || !container.getImage().matches("(^|.*/)asyncshop/.*")) {
      return;
    }
    Quantity limit =
        container.getResources() == null || container.getResources().getLimits() == null
            ? null
            : container.getResources().getLimits().get("memory");
    if (limit == null) {
      problem(deployment, "no memory limit, so the JVM sizes its heap from the node's memory");
      return;
    }
    long limitBytes = Quantity.getAmountInBytes(limit).longValue();
    long heap = heapBytes(workloads.environment(deployment).get("JAVA_TOOL_OPTIONS"), limitBytes);
    if (heap + NON_HEAP_BYTES > limitBytes) {
      problem(
          deployment,
          "a heap of "
              + heap / (1024 * 1024)
              + " MiB and about "
              + NON_HEAP_BYTES / (1024 * 1024)
              + " MiB outside it exceed the memory limit of "
              + limit
              + ": the kernel kills the container before the JVM collects");
    }
  }

  /**
   * The largest heap the JVM takes: JAVA_TOOL_OPTIONS come first and the image's own flags after
   * them, so the latter win; an explicit -Xmx overrides MaxRAMPercentage (25 by default).
   */
  long heapBytes(String javaToolOptions, long limitBytes) {
    List<String> flags = new ArrayList<>();
    if (javaToolOptions != null && !javaToolOptions.isBlank()) {
      flags.addAll(Arrays.asList(javaToolOptions.trim().split("\\s+")));
    }
    flags.addAll(imageFlags);
    Long explicit = null;
    double percent = 25;
    for (String flag : flags) {
      if (flag.startsWith("-Xmx")) {
        explicit = bytes(flag.substring(4));
      } else if (flag.startsWith("-XX:MaxHeapSize=")) {
        explicit = bytes(flag.substring("-XX:MaxHeapSize=".length()));
      } else if (flag.startsWith("-XX:MaxRAMPercentage=")) {
        percent = Double.parseDouble(flag.substring("-XX:MaxRAMPercentage=".length()));
      }
    }
    return explicit != null ? explicit : (long) (limitBytes * percent / 100);
  }

  private static long bytes(String size) {
    String lower = size.toLowerCase();
    long unit =
        switch (lower.charAt(lower.length() - 1)) {
          case 'k' -> 1024L;
          case 'm' -> 1024L * 1024;
          case 'g' -> 1024L * 1024 * 1024;
          default -> 1L;
        };
    String digits =
        Character.isDigit(lower.charAt(lower.length() - 1))
            ? lower
            : lower.substring(0, lower.length() - 1);
    return new BigDecimal(digits).longValue() * unit;
  }

  // ---- graceful shutdown

  /**
   * The kubelet sends SIGTERM after preStop and SIGKILL at terminationGracePeriodSeconds: the
   * pause, Spring's shutdown phase and the JVM's exit must fit in it, or in-flight messages are cut
   * off.
   */
  private void checkShutdownBudget(Deployment deployment) {
    ServiceConfig service = manifests.served(deployment.getMetadata().getName()).orElse(null);
    if (service == null) {
      return;
    }
    Map<String, String> env = workloads.environment(deployment);
    Object shutdown =
        env.getOrDefault("SERVER_SHUTDOWN", str(service.properties().get("server.shutdown")));
    if ("immediate".equals(shutdown)) {
      problem(
          deployment,
          "server.shutdown is immediate: requests in flight are cut off on every rollout");
    }
    String phase =
        env.getOrDefault(
            "SPRING_LIFECYCLE_TIMEOUTPERSHUTDOWNPHASE",
            str(
                service
                    .properties()
                    .getOrDefault("spring.lifecycle.timeout-per-shutdown-phase", "30s")));
    Duration spring = duration(phase);
    Container container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
    Duration preStop = preStop(container.getLifecycle());
    Long grace = deployment.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds();
    Duration budget = Duration.ofSeconds(grace == null ? 30 : grace);
    Duration needed = preStop.plus(spring).plus(EXIT_MARGIN);
    if (needed.compareTo(budget) > 0) {
      problem(
          deployment,
          "preStop "
              + preStop.toSeconds()
              + " s + spring.lifecycle.timeout-per-shutdown-phase "
              + spring.toSeconds()
              + " s + "
              + EXIT_MARGIN.toSeconds()
              + " s to exit exceed terminationGracePeriodSeconds "
              + budget.toSeconds());
    }
  }

  private static String str(Object value) {
    return value == null ? null : value.toString();
  }

  private static Duration preStop(Lifecycle lifecycle) {
    LifecycleHandler handler = lifecycle == null ? null : lifecycle.getPreStop();
    if (handler == null) {
      return Duration.ZERO;
    }
    if (handler.getSleep() != null) {
      return Duration.ofSeconds(handler.getSleep().getSeconds());
    }
    if (handler.getExec() != null) {
      List<String> command = handler.getExec().getCommand();
      for (int i = 0; i + 1 < command.size(); i++) {
        if (command.get(i).equals("sleep") && command.get(i + 1).matches("[0-9]+")) {
          return Duration.ofSeconds(Long.parseLong(command.get(i + 1)));
        }
      }
    }
    return Duration.ZERO;
  }

  /** A Spring Boot duration: {@code 30s}, {@code 1m}, {@code 500ms}, or milliseconds. */
  static Duration duration(String text) {
    Matcher matcher = Pattern.compile("([0-9]+)\\s*(ms|s|m|h)?").matcher(text.trim());
    if (!matcher.matches()) {
      return Duration.parse(text.trim());
    }
    long amount = Long.parseLong(matcher.group(1));
    String unit = matcher.group(2) == null ? "ms" : matcher.group(2);
    return switch (unit) {
      case "ms" -> Duration.ofMillis(amount);
      case "s" -> Duration.ofSeconds(amount);
      case "m" -> Duration.ofMinutes(amount);
      default -> Duration.ofHours(amount);
    };
  }
}
