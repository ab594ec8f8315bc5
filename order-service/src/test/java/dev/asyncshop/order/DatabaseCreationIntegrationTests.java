package dev.asyncshop.order;

import static org.assertj.core.api.Assertions.assertThat;

import dev.asyncshop.messaging.test.Brokers;
import dev.asyncshop.messaging.test.TestDatabases;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The orders database appears on first start, against the PostgreSQL on 127.0.0.1. */
class DatabaseCreationIntegrationTests {

  @Test
  void createsAMissingDatabaseOnceAndLeavesAnExistingOneAlone() throws SQLException {
    Brokers.requirePostgres();
    String name = "orders_created_" + UUID.randomUUID().toString().substring(0, 8);
    String url = TestDatabases.url(name) + "?connectTimeout=5";
    try {
      DatabaseCreation.ensureExists(url, "postgres", "");
      DatabaseCreation.ensureExists(url, "postgres", "");

      try (Connection connection = DriverManager.getConnection(url, "postgres", "")) {
        assertThat(connection.getCatalog()).isEqualTo(name);
      }
    } finally {
      try (Connection connection =
              DriverManager.getConnection(TestDatabases.url("postgres"), "postgres", "");
          Statement drop = connection.createStatement()) {
        drop.execute("drop database if exists " + name);
      }
    }
  }
}
