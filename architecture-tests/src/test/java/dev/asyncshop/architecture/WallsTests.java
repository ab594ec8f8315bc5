package dev.asyncshop.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The library and the four services stand within every wall. */
class WallsTests {

  private static final Layout LAYOUT = Layout.ASYNCSHOP;

  /** Main code only: the library and the services, as their jars or class folders hold them. */
  private static final JavaClasses CODE = importMainCode(LAYOUT);

  private static JavaClasses importMainCode(Layout layout) {
    List<String> roots = new ArrayList<>(layout.services());
    roots.add(layout.library());
    return new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages(roots);
  }

  @Test
  void theLibraryAndEveryServiceAreThereToCheck() {
    assertThat(CODE.containPackage(LAYOUT.library())).isTrue();
    LAYOUT.services().forEach(service -> assertThat(CODE.containPackage(service)).isTrue());
  }

  @Test
  void noServiceReachesAnother() {
    Walls.noServiceReachesAnother(LAYOUT).check(CODE);
  }

  @Test
  void theLibraryReachesNoService() {
    Walls.theLibraryReachesNoService(LAYOUT).check(CODE);
  }

  @Test
  void theLibrarysApiReachesNoSubPackageButSpi() {
    Walls.theApiReachesNoSubPackageButSpi(LAYOUT).check(CODE);
  }

  @Test
  void theLibrarysSpiReachesNoInternalOrTransportPackage() {
    Walls.theSpiReachesNoInternalOrTransport(LAYOUT).check(CODE);
  }

  @Test
  void noTransportReachesAnother() {
    Walls.noTransportReachesAnother(LAYOUT).check(CODE);
  }

  @Test
  void noFeatureReachesAWebPackageOrAnHttpType() {
    Walls.noFeatureReachesWebOrHttp(LAYOUT).check(CODE);
  }

  @Test
  void noFeaturesWebPackageReachesAnotherFeature() {
    Walls.noFeaturesWebReachesAnotherFeature(LAYOUT).check(CODE);
  }
}
