package dev.asyncshop.order;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.core.env.Environment;

/**
 * Creates the service's PostgreSQL database when it is missing, before anything (Flyway first) uses
 * the DataSource, so a fresh machine needs no manual step. Connects to the server's {@code
 * postgres} database with the service's own credentials to do it; instances starting together may
 * race, and the loser finds the database there.
 */
final class DatabaseCreation implements BeanPostProcessor {

  private static final Logger log = LoggerFactory.getLogger(DatabaseCreation.class);

  private static final Pattern URL =
      Pattern.compile("jdbc:postgresql://([^/]+)/([A-Za-z_][A-Za-z0-9_]*)(\\?.*)?");

  /** PostgreSQL's "duplicate_database". */
  private static final String DUPLICATE_DATABASE = "42P04";

  private final Environment environment;
  private volatile boolean done;

  DatabaseCreation(Environment environment) {
    this.environment = environment;
  }

  @Override
  public Object postProcessBeforeInitialization(Object bean, String beanName) {
    if (bean instanceof DataSource && !done) {
      done = true;
      String url = environment.getProperty("spring.datasource.url");
      if (url != null) {
        ensureExists(
            url,
            environment.getProperty("spring.datasource.username", ""),
            environment.getProperty("spring.datasource.password", ""));
      }
    }
    return bean;
  }

  /**
   * Creates the database the URL names if the server does not have it. A URL that is not a plain
   * PostgreSQL one is left alone.
   */
  static void ensureExists(String url, String user, String password) {
    Matcher parts = URL.matcher(url);
    if (!parts.matches()) {
      return;
    }
    String database = parts.group(2);
    String maintenance =
        "jdbc:postgresql://"
            + parts.group(1)
            + "/postgres"
            + (parts.group(3) == null ? "" : parts.group(3));
    try (Connection connection = DriverManager.getConnection(maintenance, user, password)) {
      try (PreparedStatement exists =
          connection.prepareStatement("select 1 from pg_database where datname = ?")) {
        exists.setString(1, database);
        try (ResultSet found = exists.executeQuery()) {
          if (found.next()) {
            return;
          }
        }
      }
      try (Statement create = connection.createStatement()) {
        // The name matched the identifier pattern above, so quoting it is safe.
        create.execute("create database \"" + database + "\"");
        log.info("Created database {}", database);
      }
    } catch (SQLException e) {
      if (!DUPLICATE_DATABASE.equals(e.getSQLState())) {
        // Start-up goes on: if the database is really missing, Flyway says so next.
        log.warn("Could not make sure database {} exists: {}", database, e.toString());
      }
    }
  }
}
