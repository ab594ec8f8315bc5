package dev.asyncshop.benchmarks;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** Databases of this run on the PostgreSQL at 127.0.0.1 (user postgres), dropped afterwards. */
final class Databases {

  private Databases() {}

  static String url(String database) {
    return "jdbc:postgresql://" + Brokers.HOST + ":5432/" + database;
  }

  static void create(String name) throws SQLException {
    execute("create database " + name);
  }

  static void drop(String name) {
    try {
      execute("drop database if exists " + name + " with (force)");
    } catch (SQLException e) {
      System.out.println("  could not drop database " + name + ": " + e.getMessage());
    }
  }

  static String version() {
    try (Connection connection = connect();
        Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery("show server_version")) {
      return result.next() ? result.getString(1) : "?";
    } catch (SQLException e) {
      return "?";
    }
  }

  private static void execute(String sql) throws SQLException {
    try (Connection connection = connect();
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }

  private static Connection connect() throws SQLException {
    return DriverManager.getConnection(url("postgres"), "postgres", "");
  }
}
