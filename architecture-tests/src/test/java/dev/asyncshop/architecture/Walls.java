package dev.asyncshop.architecture;

import static com.tngtech.archunit.base.DescribedPredicate.describe;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.Function;
import org.springframework.context.annotation.Configuration;

/**
 * The walls of the architecture, one rule each. Every rule takes the {@link Layout} it guards, so
 * the same rule checks the real code and the fixtures that prove it reports what crosses it.
 *
 * <p>"Reaches" means any dependency ArchUnit sees in the bytecode: a type used in a field, a
 * signature, a method body, a superclass, an annotation or a type argument.
 */
final class Walls {

  /**
   * The packages whose types carry HTTP. A feature says what happened in its own terms (a plain
   * exception, a sink it writes to); its web package says it in HTTP: status codes, problem
   * details, servlet or server-sent-event types, and the OpenAPI description of the HTTP API.
   */
  static final String[] HTTP = {
    "jakarta.servlet..", "org.springframework.web..", "org.springframework.http..", "io.swagger.."
  };

  private Walls() {}

  /** Services talk through messages only, so each can be deployed and changed on its own. */
  static ArchRule noServiceReachesAnother(Layout layout) {
    return slices()
        .assignedFrom(slicesBy("services", layout::serviceOf))
        .should()
        .notDependOnEachOther()
        .as("no service reaches another service");
  }

  /** The library serves every service and knows none of them. */
  static ArchRule theLibraryReachesNoService(Layout layout) {
    return noClasses()
        .that()
        .resideInAPackage(layout.library() + "..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(layout.services().stream().map(s -> s + "..").toArray(String[]::new))
        .as("common-messaging reaches no service");
  }

  /**
   * A reader learns the library from its API package alone: what that package shows names nothing
   * of the library's internals or transports. It may name the extension points of {@code spi}.
   */
  static ArchRule theApiReachesNoSubPackageButSpi(Layout layout) {
    return noClasses()
        .that()
        .resideInAPackage(layout.library())
        .should()
        .dependOnClassesThat(areInternalTo(layout))
        .as("the library's API package reaches none of its sub-packages but spi");
  }

  /** An extension point is implemented by applications, so it names only the API and itself. */
  static ArchRule theSpiReachesNoInternalOrTransport(Layout layout) {
    return noClasses()
        .that()
        .resideInAPackage(layout.spi() + "..")
        .should()
        .dependOnClassesThat(areInternalTo(layout))
        .as("the library's spi reaches no internal or transport package")
        // A layout without an spi package has nothing here to check.
        .allowEmptyShould(true);
  }

  /** Each transport is optional (its broker client is): none may need another to load. */
  static ArchRule noTransportReachesAnother(Layout layout) {
    return slices()
        .assignedFrom(slicesBy("transports of the library", layout::transportOf))
        .should()
        .notDependOnEachOther()
        .as("no transport package reaches another (" + String.join(", ", Layout.TRANSPORTS) + ")");
  }

  /**
   * HTTP stays in web: a feature is the same whether a controller, a message handler or a test
   * calls it. The application's own configuration in a service's root package is exempt, as it
   * wires the whole service.
   */
  static ArchRule noFeatureReachesWebOrHttp(Layout layout) {
    return noClasses()
        .that(areFeatureCode(layout))
        .should()
        .dependOnClassesThat(areWebOrHttp(layout))
        .as("no feature reaches a web package or an HTTP type");
  }

  /**
   * A feature's web package adapts that feature to HTTP and nothing else, so features stay apart;
   * it may use the service's shared root package, and a feature may use another feature.
   */
  static ArchRule noFeaturesWebReachesAnotherFeature(Layout layout) {
    return classes()
        .that(areInAFeaturesWebPackage(layout))
        .should(reachNoOtherFeatureOfTheirService(layout))
        .as("no feature's web package reaches another feature");
  }

  /**
   * A sub-package of the library other than spi: internal and its transports, and any package the
   * library adds outside spi, which is internal until it is made part of the API.
   */
  private static DescribedPredicate<JavaClass> areInternalTo(Layout layout) {
    return describe(
        "are in a sub-package of " + layout.library() + " other than spi",
        type -> {
          String name = type.getPackageName();
          return name.startsWith(layout.library() + ".") && !Layout.isAtOrUnder(name, layout.spi());
        });
  }

  private static DescribedPredicate<JavaClass> areFeatureCode(Layout layout) {
    return describe(
        "are in a feature of a service (not web, not the application's configuration)",
        type ->
            layout.serviceOf(type.getPackageName()).isPresent()
                && !isWeb(layout, type)
                && !isApplicationConfiguration(layout, type));
  }

  private static DescribedPredicate<JavaClass> areWebOrHttp(Layout layout) {
    return resideInAnyPackage(HTTP)
        .or(describe("are in a web package of a service", type -> isWeb(layout, type)))
        .as("are in a web package or are HTTP types (%s)", String.join(", ", Arrays.asList(HTTP)));
  }

  private static DescribedPredicate<JavaClass> areInAFeaturesWebPackage(Layout layout) {
    return describe(
        "are in a feature's web package",
        type -> layout.featureOf(type.getPackageName()).isPresent() && isWeb(layout, type));
  }

  private static ArchCondition<JavaClass> reachNoOtherFeatureOfTheirService(Layout layout) {
    return new ArchCondition<>("reach no other feature of their service") {
      @Override
      public void check(JavaClass type, ConditionEvents events) {
        String service = layout.serviceOf(type.getPackageName()).orElseThrow();
        Optional<String> own = layout.featureOf(type.getPackageName());
        for (Dependency dependency : type.getDirectDependenciesFromSelf()) {
          String target = dependency.getTargetClass().getPackageName();
          Optional<String> feature = layout.featureOf(target);
          if (Layout.isAtOrUnder(target, service) && feature.isPresent() && !feature.equals(own)) {
            events.add(SimpleConditionEvent.violated(dependency, dependency.getDescription()));
          }
        }
      }
    };
  }

  /** In a web package of a service: its own {@code web}, or a feature's. */
  private static boolean isWeb(Layout layout, JavaClass type) {
    String name = type.getPackageName();
    return layout
        .serviceOf(name)
        .filter(service -> !name.equals(service))
        .map(service -> Arrays.asList(name.substring(service.length() + 1).split("\\.")))
        .filter(segments -> segments.contains(Layout.WEB))
        .isPresent();
  }

  private static boolean isApplicationConfiguration(Layout layout, JavaClass type) {
    return layout.services().contains(type.getPackageName())
        && type.isMetaAnnotatedWith(Configuration.class);
  }

  private static SliceAssignment slicesBy(
      String description, Function<String, Optional<String>> sliceOfPackage) {
    return new SliceAssignment() {
      @Override
      public SliceIdentifier getIdentifierOf(JavaClass type) {
        return sliceOfPackage
            .apply(type.getPackageName())
            .map(SliceIdentifier::of)
            .orElseGet(SliceIdentifier::ignore);
      }

      @Override
      public String getDescription() {
        return description;
      }
    };
  }
}
