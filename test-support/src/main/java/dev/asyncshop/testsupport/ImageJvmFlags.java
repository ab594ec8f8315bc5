package dev.asyncshop.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JVM flags a service's image starts it with, read from the Dockerfile's {@code ENTRYPOINT} so
 * that processes started here never drift from the image. One flag is added: {@code
 * -XX:MaxRAM=512m}, the memory limit of the service's container ({@code k8s/}), which the JVM reads
 * from its cgroup inside a container but would take as the whole machine's outside one.
 */
public final class ImageJvmFlags {

  /** The container's memory limit, as the JVM would see it inside the container. */
  static final String CONTAINER_MEMORY = "-XX:MaxRAM=512m";

  /** Where the image keeps its class data sharing archive. */
  static final String IMAGE_ARCHIVE = "/app/app.jsa";

  private static final Pattern ENTRYPOINT = Pattern.compile("(?m)^ENTRYPOINT\\s+\\[(.*)]\\s*$");
  private static final Pattern QUOTED = Pattern.compile("\"([^\"]*)\"");

  private ImageJvmFlags() {}

  /** The flags with the archive of the image replaced by the given one. */
  public static List<String> withArchive(Path archive) {
    return of(read(RepositoryRoot.path().resolve("Dockerfile")), archive);
  }

  /** The flags of a Dockerfile's text: from after {@code java} up to {@code -jar}. */
  static List<String> of(String dockerfile, Path archive) {
    Matcher entrypoint = ENTRYPOINT.matcher(dockerfile);
    if (!entrypoint.find()) {
      throw new IllegalStateException("The Dockerfile has no ENTRYPOINT [\"java\", ...]");
    }
    List<String> words = new ArrayList<>();
    Matcher quoted = QUOTED.matcher(entrypoint.group(1));
    while (quoted.find()) {
      words.add(quoted.group(1));
    }
    int jar = words.indexOf("-jar");
    if (words.isEmpty() || !words.get(0).equals("java") || jar < 0) {
      throw new IllegalStateException(
          "The Dockerfile's ENTRYPOINT is not [\"java\", flags..., \"-jar\", ...]: " + words);
    }
    List<String> flags = new ArrayList<>();
    flags.add(CONTAINER_MEMORY);
    for (String flag : words.subList(1, jar)) {
      flags.add(flag.replace(IMAGE_ARCHIVE, archive.toString()));
    }
    return List.copyOf(flags);
  }

  private static String read(Path dockerfile) {
    try {
      return Files.readString(dockerfile);
    } catch (IOException e) {
      throw new IllegalStateException("Cannot read " + dockerfile + ": " + e, e);
    }
  }
}
