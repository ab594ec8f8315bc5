package dev.asyncshop.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** The repository as the checks see it: its files, its services and the tools on this machine. */
final class Suite {

  static final Path ROOT = findRoot();

  private static final Pattern SERVICE_MODULE =
      Pattern.compile("<module>([a-z-]+-service)</module>");

  private static Map<String, ServiceConfig> services;

  private Suite() {}

  private static Path findRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null
        && !(Files.exists(dir.resolve("mvnw")) && Files.isDirectory(dir.resolve("k8s")))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException(
          "No repository root (mvnw and k8s/) above " + Path.of("").toAbsolutePath());
    }
    return dir;
  }

  /** The services of the root pom's modules, by name (order-service, ...). */
  static synchronized Map<String, ServiceConfig> services() {
    if (services == null) {
      Matcher modules = SERVICE_MODULE.matcher(read(ROOT.resolve("pom.xml")));
      List<String> names = new ArrayList<>();
      while (modules.find()) {
        names.add(modules.group(1));
      }
      if (names.isEmpty()) {
        throw new IllegalStateException("The root pom lists no *-service module");
      }
      services =
          names.stream()
              .map(name -> ServiceConfig.load(name, ROOT.resolve(name)))
              .collect(
                  Collectors.toMap(
                      ServiceConfig::name,
                      Function.identity(),
                      (a, b) -> a,
                      java.util.LinkedHashMap::new));
    }
    return services;
  }

  /** The operators' console, which serves pages but is no service of the message flows. */
  static ServiceConfig console() {
    return ServiceConfig.load("ops-console", ROOT.resolve("ops-console"));
  }

  static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every non-empty document of a YAML stream, with merge keys resolved. */
  static List<Object> yamlDocuments(String text) {
    List<Object> documents = new ArrayList<>();
    for (Object document : yaml().loadAll(text)) {
      if (document != null) {
        documents.add(document);
      }
    }
    return documents;
  }

  static Yaml yaml() {
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(false);
    return new Yaml(new SafeConstructor(options));
  }

  /**
   * The executable of that name on PATH, if any. {@code -Ddeploy-checks.without=kubectl,...} hides
   * tools, so that the paths taken on machines without them can be run where they exist.
   */
  static Optional<Path> onPath(String tool) {
    if (List.of(System.getProperty("deploy-checks.without", "").split(",")).contains(tool)) {
      return Optional.empty();
    }
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    for (String dir : path.split(java.io.File.pathSeparator)) {
      Path candidate = Path.of(dir, tool);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  record ProcessResult(int exitCode, String stdout, String stderr) {}

  static ProcessResult run(Path dir, Duration timeout, List<String> command) {
    return run(dir, timeout, command, java.util.Set.of());
  }

  /** Runs a command without the given variables in its environment. */
  static ProcessResult run(
      Path dir, Duration timeout, List<String> command, java.util.Set<String> unset) {
    try {
      Path out = Files.createTempFile("deploy-checks", ".out");
      Path err = Files.createTempFile("deploy-checks", ".err");
      try {
        ProcessBuilder builder =
            new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectOutput(out.toFile())
                .redirectError(err.toFile());
        builder.environment().keySet().removeAll(unset);
        Process process = builder.start();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
          process.destroyForcibly();
          throw new IllegalStateException(command + " did not end within " + timeout);
        }
        return new ProcessResult(process.exitValue(), read(out), read(err));
      } finally {
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
