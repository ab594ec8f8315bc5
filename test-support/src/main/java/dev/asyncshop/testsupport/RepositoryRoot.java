package dev.asyncshop.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The repository's root, found from the working directory upwards: tests run in their module's
 * folder, the benchmarks in the root itself.
 */
public final class RepositoryRoot {

  private RepositoryRoot() {}

  public static Path path() {
    Path start = Path.of("").toAbsolutePath();
    for (Path dir = start; dir != null; dir = dir.getParent()) {
      if (Files.exists(dir.resolve("Dockerfile"))
          && Files.exists(dir.resolve("deploy/train-cds.sh"))) {
        return dir;
      }
    }
    throw new IllegalStateException(
        "No repository root (with Dockerfile and deploy/train-cds.sh) above " + start);
  }
}
