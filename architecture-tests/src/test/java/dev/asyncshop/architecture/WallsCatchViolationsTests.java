package dev.asyncshop.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Each wall, raised around the fixtures, reports exactly the fixture classes that cross it and none
 * of those that stay within it: the walls bite, and they bite only where they should.
 */
class WallsCatchViolationsTests {

  private static final String ROOT = "dev.asyncshop.architecture.fixtures";

  private static final Layout FIXTURES =
      new Layout(ROOT + ".messaging", List.of(ROOT + ".order", ROOT + ".inventory"));

  private static final JavaClasses CODE = new ClassFileImporter().importPackages(ROOT);

  /** The classes whose dependencies the rule reports, named below the fixtures' root. */
  private static Set<String> reported(ArchRule rule) {
    Set<String> origins = new TreeSet<>();
    rule.evaluate(CODE)
        .handleViolations(
            (Collection<Dependency> dependencies, String message) ->
                dependencies.forEach(
                    dependency ->
                        origins.add(
                            dependency.getOriginClass().getName().substring(ROOT.length() + 1))));
    return origins;
  }

  @Test
  void aServiceThatReachesAnotherIsReported() {
    assertThat(reported(Walls.noServiceReachesAnother(FIXTURES)))
        .containsExactly("order.placement.ReservesStockDirectly");
  }

  @Test
  void theLibraryReachingAServiceIsReported() {
    assertThat(reported(Walls.theLibraryReachesNoService(FIXTURES)))
        .containsExactly("messaging.internal.OrderAwareRouting");
  }

  @Test
  void theApiReachingAnInternalPackageIsReportedAndReachingSpiIsNot() {
    assertThat(reported(Walls.theApiReachesNoSubPackageButSpi(FIXTURES)))
        .containsExactly("messaging.Gateways");
  }

  @Test
  void theSpiReachingATransportIsReported() {
    assertThat(reported(Walls.theSpiReachesNoInternalOrTransport(FIXTURES)))
        .containsExactly("messaging.spi.KafkaAwareStep");
  }

  @Test
  void aTransportThatReachesAnotherIsReportedAndOneOnTheInternalsIsNot() {
    assertThat(reported(Walls.noTransportReachesAnother(FIXTURES)))
        .containsExactly("messaging.internal.kafka.RabbitFallback");
  }

  @Test
  void featuresReachingHttpTypesOrAWebPackageAreReportedAndConfigurationAndWebAreNot() {
    assertThat(reported(Walls.noFeatureReachesWebOrHttp(FIXTURES)))
        .containsExactly(
            "order.placement.CheckoutRefusedException",
            "order.tracking.LinksToCheckoutPage",
            "order.tracking.LiveStream");
  }

  @Test
  void aFeaturesWebPackageReachingAnotherFeatureIsReportedAndTheServicesWebIsNot() {
    assertThat(reported(Walls.noFeaturesWebReachesAnotherFeature(FIXTURES)))
        .containsExactly("order.tracking.web.TrackingController");
  }

  @Test
  void theRulesFailTheBuildOnTheFixtures() {
    List<ArchRule> walls =
        List.of(
            Walls.noServiceReachesAnother(FIXTURES),
            Walls.theLibraryReachesNoService(FIXTURES),
            Walls.theApiReachesNoSubPackageButSpi(FIXTURES),
            Walls.theSpiReachesNoInternalOrTransport(FIXTURES),
            Walls.noTransportReachesAnother(FIXTURES),
            Walls.noFeatureReachesWebOrHttp(FIXTURES),
            Walls.noFeaturesWebReachesAnotherFeature(FIXTURES));
    for (ArchRule wall : walls) {
      assertThat(wall.evaluate(CODE).hasViolation()).as(wall.getDescription()).isTrue();
    }
  }
}
