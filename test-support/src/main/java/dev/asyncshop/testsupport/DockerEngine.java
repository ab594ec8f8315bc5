package dev.asyncshop.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.testcontainers.DockerClientFactory;

/**
 * Whether a Docker engine answers. Testcontainers' own check logs an error with every strategy it
 * tried when there is none, so it is asked only where an engine may be: a {@code DOCKER_HOST}, a
 * Testcontainers configuration file, or one of the sockets Docker Engine, Docker Desktop and
 * rootless Docker create. Elsewhere (an engine on an address no hint names) choose the containers
 * with {@code -Dasyncshop.brokers=containers}.
 */
final class DockerEngine {

  private DockerEngine() {}

  static boolean answers() {
    return mayBeThere() && DockerClientFactory.instance().isDockerAvailable();
  }

  private static boolean mayBeThere() {
    if (System.getenv("DOCKER_HOST") != null
        || System.getProperty("os.name", "").startsWith("Windows")) {
      return true;
    }
    Path home = Path.of(System.getProperty("user.home"));
    List<Path> hints = new ArrayList<>();
    hints.add(home.resolve(".testcontainers.properties"));
    hints.add(Path.of("/var/run/docker.sock"));
    hints.add(home.resolve(".docker/run/docker.sock"));
    hints.add(home.resolve(".docker/desktop/docker.sock"));
    String runtimeDir = System.getenv("XDG_RUNTIME_DIR");
    if (runtimeDir != null) {
      hints.add(Path.of(runtimeDir, "docker.sock"));
    }
    return hints.stream().anyMatch(Files::exists);
  }
}
