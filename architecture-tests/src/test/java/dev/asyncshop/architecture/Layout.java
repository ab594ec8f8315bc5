package dev.asyncshop.architecture;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Where the walls stand: the library's root package and each service's root package. {@link
 * #ASYNCSHOP} is the real code; the tests raise the same walls around fixture packages laid out the
 * same way, to prove that each wall reports what crosses it.
 *
 * @param library the library's API package; its sub-packages are {@code spi} and the internals
 * @param services each service's root package
 */
record Layout(String library, List<String> services) {

  static final Layout ASYNCSHOP =
      new Layout(
          "dev.asyncshop.messaging",
          List.of(
              "dev.asyncshop.order",
              "dev.asyncshop.inventory",
              "dev.asyncshop.payment",
              "dev.asyncshop.shipping"));

  /** The last segment of a transport's package, wherever it sits under the library. */
  static final Set<String> TRANSPORTS = Set.of("kafka", "rabbit", "redis", "jdbc");

  /** The segment that names a web package, in a service or in one of its features. */
  static final String WEB = "web";

  /** The library's public extension points. */
  String spi() {
    return library + ".spi";
  }

  /** The service whose root package holds this package, if any. */
  Optional<String> serviceOf(String packageName) {
    return services.stream().filter(service -> isAtOrUnder(packageName, service)).findFirst();
  }

  /**
   * The transport this package of the library belongs to: the first segment under the library that
   * names one, so {@code messaging.kafka} and {@code messaging.internal.kafka.admin} are both
   * Kafka's.
   */
  Optional<String> transportOf(String packageName) {
    if (!packageName.startsWith(library + ".")) {
      return Optional.empty();
    }
    for (String segment : packageName.substring(library.length() + 1).split("\\.")) {
      if (TRANSPORTS.contains(segment)) {
        return Optional.of(segment);
      }
    }
    return Optional.empty();
  }

  /**
   * The feature of a service this package belongs to: the first segment under the service's root,
   * unless that is the service's own {@code web} package. The root package itself is the service's
   * shared domain and configuration, no feature.
   */
  Optional<String> featureOf(String packageName) {
    return serviceOf(packageName)
        .filter(service -> !packageName.equals(service))
        .map(service -> packageName.substring(service.length() + 1).split("\\.")[0])
        .filter(segment -> !segment.equals(WEB));
  }

  static boolean isAtOrUnder(String packageName, String root) {
    return packageName.equals(root) || packageName.startsWith(root + ".");
  }
}
