package dev.asyncshop.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.asyncshop.testsupport.ServiceProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What the Dockerfile does to each service's jar, done here because no image is built in the test
 * command: extract it and write its class data sharing archive with {@code deploy/train-cds.sh}
 * (which also starts the service once with the archive required, so a JVM that would not map it
 * fails), with no database or broker to reach, as in an image build. The system tests after it
 * start the services from these archives.
 */
class ClassDataSharingIntegrationTests {

  @Test
  void everyServiceWritesItsArchiveWithoutDatabaseOrBroker() throws Exception {
    List<ServiceProcess> services =
        List.of("order", "inventory", "payment", "shipping").stream()
            .map(name -> new ServiceProcess(name, 0, Suite.WORK, List.of()))
            .toList();
    for (Path archive : Suite.prepare(services, ServiceProcess::prepareAfresh)) {
      // A Spring Boot service loads well over ten thousand classes until its context is up.
      assertThat(Files.size(archive)).isGreaterThan(20L * 1024 * 1024);
    }
  }
}
