package dev.asyncshop.messaging.test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * Databases of their own for tests, on the PostgreSQL at 127.0.0.1 (user postgres, trust auth), so
 * that test runs never see each other's rows.
 */
public final class TestDatabases {

  private TestDatabases() {}

  /** Creates a new, empty database and returns its JDBC URL. */
  public static String create(String prefix) {
    Brokers.requirePostgres();
    String name = prefix + "_test_" + UUID.randomUUID().toString().substring(0, 8);
    try (Connection connection = DriverManager.getConnection(url("postgres"), "postgres", "");
        Statement statement = connection.createStatement()) {
      statement.execute("create database " + name);
    } catch (SQLException e) {
      throw new IllegalStateException("Could not create test database " + name, e);
    }
    return url(name);
  }

  public static String url(String database) {
    return "jdbc:postgresql://" + Brokers.HOST + ":5432/" + database;
  }
}
