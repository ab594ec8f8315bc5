package dev.asyncshop.order;

import static org.assertj.core.api.Assertions.assertThat;

import dev.asyncshop.testsupport.Brokers;
import dev.asyncshop.testsupport.Endpoint;
import dev.asyncshop.testsupport.TestDatabases;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The orders database appears on first start, against the tests' PostgreSQL. */
class DatabaseCreationIntegrationTests {

  @Test
  void createsAMissingDatabaseOnceAndLeavesAnExistingOneAlone() throws SQLException {
    Endpoint postgres = Brokers.postgres();
    String name = "orders_created_" + UUID.randomUUID().toString().substring(0, 8);
    String url = TestDatabases.url(name) + "?connectTimeout=5";
    try {
      DatabaseCreation.ensureExists(url, postgres.username(), postgres.password());
      DatabaseCreation.ensureExists(url, postgres.username(), postgres.password());

      try (Connection connection =
          DriverManager.getConnection(url, postgres.username(), postgres.password())) {
        assertThat(connection.getCatalog()).isEqualTo(name);
      }
    } finally {
      try (Connection connection = TestDatabases.connect("postgres");
          Statement drop = connection.createStatement()) {
        drop.execute("drop database if exists " + name);
      }
    }
  }
}
