package dev.asyncshop.testsupport;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * One service as its own JVM, started the way its image starts it: the runnable jar extracted, a
 * class data sharing archive written by {@code deploy/train-cds.sh}, and the JVM flags of {@link
 * ImageJvmFlags} (the Dockerfile's). Its output goes to {@code <work
 * directory>/<name>-service.log}.
 */
public final class ServiceProcess {

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final String name;
  private final String module;
  private final int port;
  private final Path jar;
  private final Path extracted;
  private final Path log;
  private final List<String> extraJvmOptions;
  private final List<String> arguments;
  private @Nullable Process process;
  private boolean started;
  private long startedNanos;
  private @Nullable Duration startUp;

  /**
   * @param name {@code order}, {@code inventory}, {@code payment} or {@code shipping}, or the
   *     module of another application, such as {@code authorization-server}
   * @param workDirectory where the extracted application, its archive and its log go
   * @param arguments the service's own, such as {@code --spring.datasource.url=...}
   */
  public ServiceProcess(String name, int port, Path workDirectory, List<String> arguments) {
    this(name, port, workDirectory, List.of(), arguments);
  }

  /**
   * @param extraJvmOptions after the image's flags, as {@code JAVA_TOOL_OPTIONS} would add them to
   *     a container's; {@code {service}} is replaced by the name
   */
  public ServiceProcess(
      String name,
      int port,
      Path workDirectory,
      List<String> extraJvmOptions,
      List<String> arguments) {
    this.name = name;
    this.module = moduleOf(name);
    this.port = port;
    this.extraJvmOptions =
        extraJvmOptions.stream().map(option -> option.replace("{service}", name)).toList();
    this.arguments = List.copyOf(arguments);
    this.jar = execJar(name);
    Path work = workDirectory.toAbsolutePath().normalize();
    this.extracted = work.resolve("apps").resolve(name);
    this.log = work.resolve(module + ".log");
  }

  private ServiceProcess(ServiceProcess first, int port, Path log, List<String> extraJvmOptions) {
    this.name = first.name;
    this.module = first.module;
    this.port = port;
    this.extraJvmOptions = extraJvmOptions;
    this.arguments = first.arguments;
    this.jar = first.jar;
    this.extracted = first.extracted;
    this.log = log;
  }

  /**
   * The same application on the same port with more JVM options ({@code {service}} replaced by the
   * name), logging to {@code <name>-service-<suffix>.log}: for a second life of a stopped first
   * instance under other flags, such as a Flight Recorder recording from its start.
   */
  public ServiceProcess withJvmOptions(List<String> more, String logSuffix) {
    List<String> options = new ArrayList<>(extraJvmOptions);
    more.forEach(option -> options.add(option.replace("{service}", name)));
    return new ServiceProcess(
        this, port, log.resolveSibling(module + "-" + logSuffix + ".log"), List.copyOf(options));
  }

  /**
   * Another instance of the same application with the same settings, on another port, logging to
   * {@code <name>-service-<number>.log}; it shares this one's extracted jar and archive, as two
   * replicas share an image.
   */
  public ServiceProcess instance(int number, int port) {
    return new ServiceProcess(
        this, port, log.resolveSibling(module + "-" + number + ".log"), extraJvmOptions);
  }

  /** Arguments {@code --name=value} for a service, from Spring Boot properties. */
  public static List<String> arguments(Map<String, String> properties) {
    return properties.entrySet().stream()
        .map(property -> "--" + property.getKey() + "=" + property.getValue())
        .toList();
  }

  /** A port that was free a moment ago. */
  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException("No free port: " + e, e);
    }
  }

  public String name() {
    return name;
  }

  public int port() {
    return port;
  }

  public Path log() {
    return log;
  }

  public URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  /** The whole command line's JVM part: the image's flags, then the extra ones. */
  public List<String> jvmOptions() {
    List<String> options = new ArrayList<>(ImageJvmFlags.withArchive(archive()));
    options.addAll(extraJvmOptions);
    return options;
  }

  public long pid() {
    return running().pid();
  }

  /** From the start of the process until its readiness group was first UP. */
  public Duration startUp() {
    if (startUp == null) {
      throw new IllegalStateException(module + " has not become ready yet");
    }
    return startUp;
  }

  private Path appJar() {
    return extracted.resolve("app.jar");
  }

  private Path archive() {
    return extracted.resolve("app.jsa");
  }

  /**
   * Extracts the runnable jar and writes its class data sharing archive, as the image build does,
   * with no database or broker to reach; kept while the jar is older than the archive. {@link
   * #start()} does it when it was not done.
   *
   * @return the archive
   */
  public Path prepare() {
    try {
      if (Files.exists(archive())
          && Files.getLastModifiedTime(archive()).compareTo(Files.getLastModifiedTime(jar)) > 0) {
        return archive();
      }
      return prepareAfresh();
    } catch (IOException e) {
      throw new IllegalStateException("Preparing " + module + " failed: " + e, e);
    }
  }

  /** Like {@link #prepare()}, but never keeps what an earlier run prepared. */
  public Path prepareAfresh() {
    try {
      deleteRecursively(extracted);
      Files.createDirectories(extracted);
      run(
          List.of(
              java(),
              "-Djarmode=tools",
              "-jar",
              jar.toString(),
              "extract",
              "--destination",
              extracted.toString()));
      try (var jars = Files.list(extracted)) {
        Path appJar = jars.filter(p -> p.toString().endsWith(".jar")).findFirst().orElseThrow();
        Files.move(appJar, appJar());
      }
      run(
          List.of(
              "sh",
              RepositoryRoot.path().resolve("deploy/train-cds.sh").toString(),
              appJar().toString(),
              archive().toString()));
      return archive();
    } catch (IOException e) {
      throw new IllegalStateException("Preparing " + module + " failed: " + e, e);
    }
  }

  private void run(List<String> command) throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("JAVA", java());
    Process step = builder.start();
    String output = new String(step.getInputStream().readAllBytes());
    try {
      if (step.waitFor() != 0) {
        throw new IllegalStateException(
            "Preparing %s-service failed: %s%n%s"
                .formatted(name, String.join(" ", command), output));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while preparing " + module, e);
    }
  }

  /** Starts the process; its output starts the log afresh, or follows it after a restart. */
  public synchronized void start() {
    prepare();
    List<String> command = new ArrayList<>();
    command.add(java());
    command.addAll(jvmOptions());
    command.add("-jar");
    command.add(appJar().toString());
    command.add("--server.port=" + port);
    command.addAll(arguments);
    try {
      Files.createDirectories(log.getParent());
      startedNanos = System.nanoTime();
      startUp = null;
      process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(
                  started
                      ? ProcessBuilder.Redirect.appendTo(log.toFile())
                      : ProcessBuilder.Redirect.to(log.toFile()))
              .start();
      started = true;
    } catch (IOException e) {
      throw new IllegalStateException("Cannot start " + module + ": " + e, e);
    }
  }

  /**
   * Waits until the readiness group (brokers and database included) is UP, polling every 50 ms, and
   * keeps the time from process start to then as the start-up time.
   */
  public void awaitReady(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!running().isAlive()) {
        throw new IllegalStateException(module + " exited during start-up; see " + log);
      }
      try {
        HttpResponse<String> response =
            HTTP.send(
                HttpRequest.newBuilder(uri("/actuator/health/readiness"))
                    .timeout(Duration.ofSeconds(2))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 200 && response.body().contains("\"UP\"")) {
          startUp = Duration.ofNanos(System.nanoTime() - startedNanos);
          return;
        }
        Thread.sleep(50);
      } catch (IOException e) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Interrupted while " + module + " started", e);
      }
    }
    throw new IllegalStateException(module + " not ready within " + timeout + "; see " + log);
  }

  /** Stops the process the way an orchestrator does: SIGTERM, then waits for it to exit. */
  public synchronized void stop() {
    if (process == null) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    process = null;
  }

  /**
   * Kills the process with SIGKILL, as a node loss or the kernel's OOM killer does: no shutdown
   * hook runs, no message in hand is acknowledged. {@link #start()} starts it again.
   */
  public synchronized void kill() {
    if (process == null) {
      return;
    }
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    process = null;
  }

  private Process running() {
    Process current = process;
    if (current == null) {
      throw new IllegalStateException(module + " is not running");
    }
    return current;
  }

  /** A service's module is {@code <name>-service}; any other application's is its name. */
  private static String moduleOf(String name) {
    return name.contains("-") ? name : name + "-service";
  }

  private static Path execJar(String name) {
    Path moduleTarget = RepositoryRoot.path().resolve(moduleOf(name)).resolve("target");
    try (var jars = Files.list(moduleTarget)) {
      return jars.filter(p -> p.getFileName().toString().endsWith("-exec.jar"))
          .findFirst()
          .orElseThrow(() -> noJar(name, moduleTarget));
    } catch (IOException e) {
      throw noJar(name, moduleTarget);
    }
  }

  private static IllegalStateException noJar(String name, Path moduleTarget) {
    return new IllegalStateException(
        "No runnable jar of %s in %s; build it first: ./mvnw -B -DskipTests package -pl %s -am"
            .formatted(moduleOf(name), moduleTarget, moduleOf(name)));
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }
}
