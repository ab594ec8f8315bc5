package dev.asyncshop.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ImageJvmFlagsTests {

  private static final Path ARCHIVE = Path.of("/tmp/order/app.jsa");

  @Test
  void theFlagsAreTheEntrypointsBetweenJavaAndJarWithTheContainersMemoryAndTheLocalArchive() {
    String dockerfile =
        """
        FROM eclipse-temurin:17-jre
        ENTRYPOINT ["java", "-XX:SharedArchiveFile=/app/app.jsa", "-XX:+UseSerialGC", "-jar", "/app/app.jar"]
        """;

    assertThat(ImageJvmFlags.of(dockerfile, ARCHIVE))
        .containsExactly(
            "-XX:MaxRAM=512m", "-XX:SharedArchiveFile=/tmp/order/app.jsa", "-XX:+UseSerialGC");
  }

  @Test
  void theProjectsDockerfileGivesItsCollectorHeapShareAndArchive() {
    assertThat(ImageJvmFlags.withArchive(ARCHIVE))
        .contains(
            "-XX:SharedArchiveFile=/tmp/order/app.jsa",
            "-XX:+UseSerialGC",
            "-XX:MaxRAMPercentage=50",
            "-XX:+ExitOnOutOfMemoryError");
  }

  @Test
  void aDockerfileThatDoesNotStartJavaIsRefused() {
    assertThatIllegalStateException()
        .isThrownBy(() -> ImageJvmFlags.of("ENTRYPOINT [\"/bin/sh\", \"run.sh\"]\n", ARCHIVE))
        .withMessageContaining("is not [\"java\", flags..., \"-jar\", ...]");
  }
}
