package dev.asyncshop.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the Dockerfile does to each service's jar, done here because no image is built in the test
 * command: extract it and write its class data sharing archive with {@code deploy/train-cds.sh}
 * (which also starts the service once with the archive required, so a JVM that would not map it
 * fails), with no database or broker to reach, as in an image build.
 */
class ClassDataSharingTests {

  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  @TempDir Path work;

  @Test
  void everyServiceWritesItsArchiveWithoutDatabaseOrBroker() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<Path>> archives =
          List.of("order", "inventory", "payment", "shipping").stream()
              .map(name -> pool.submit(() -> prepare(name)))
              .toList();
      for (Future<Path> archive : archives) {
        // A Spring Boot service loads well over ten thousand classes until its context is up.
        assertThat(Files.size(archive.get())).isGreaterThan(20L * 1024 * 1024);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private Path prepare(String name) throws IOException, InterruptedException {
    Path dir = work.resolve(name);
    run(
        List.of(
            java(),
            "-Djarmode=tools",
            "-jar",
            execJar(name).toString(),
            "extract",
            "--destination",
            dir.toString()));
    Path appJar;
    try (var files = Files.list(dir)) {
      appJar = files.filter(p -> p.toString().endsWith(".jar")).findFirst().orElseThrow();
    }
    Path archive = dir.resolve("app.jsa");
    run(
        List.of(
            "sh",
            ROOT.resolve("deploy/train-cds.sh").toString(),
            appJar.toString(),
            archive.toString()));
    return archive;
  }

  private static Path execJar(String name) throws IOException {
    try (var jars = Files.list(ROOT.resolve(name + "-service/target"))) {
      return jars.filter(p -> p.getFileName().toString().endsWith("-exec.jar"))
          .findFirst()
          .orElseThrow();
    }
  }

  private static void run(List<String> command) throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("JAVA", java());
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes());
    assertThat(process.waitFor()).as("%s%n%s", String.join(" ", command), output).isZero();
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }
}
