package dev.asyncshop.testsupport;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Databases of their own for tests, on the PostgreSQL of {@link Brokers}, so that test runs never
 * see each other's rows.
 */
public final class TestDatabases {

  private TestDatabases() {}

  /** Creates a new, empty database and returns its JDBC URL. */
  public static String create(String prefix) {
    String name = TestNames.unique(prefix + "_test").replace('-', '_');
    Endpoint postgres = Brokers.postgres();
    try (Connection connection = connect("postgres");
        Statement statement = connection.createStatement()) {
      statement.execute("create database " + name);
    } catch (SQLException e) {
      throw new IllegalStateException(
          "Could not create test database %s on %s:%d"
              .formatted(name, postgres.host(), postgres.port()),
          e);
    }
    return url(name);
  }

  public static String url(String database) {
    Endpoint postgres = Brokers.postgres();
    return "jdbc:postgresql://%s:%d/%s".formatted(postgres.host(), postgres.port(), database);
  }

  /** A connection to the database as the superuser. */
  public static Connection connect(String database) throws SQLException {
    Endpoint postgres = Brokers.postgres();
    return DriverManager.getConnection(url(database), postgres.username(), postgres.password());
  }

  /** The Spring Boot properties of a data source on the database. */
  public static Map<String, String> springProperties(String url) {
    Endpoint postgres = Brokers.postgres();
    Map<String, String> properties = new LinkedHashMap<>();
    properties.put("spring.datasource.url", url);
    properties.put("spring.datasource.username", postgres.username());
    properties.put("spring.datasource.password", postgres.password());
    return properties;
  }
}
