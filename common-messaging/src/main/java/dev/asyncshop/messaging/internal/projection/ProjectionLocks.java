package dev.asyncshop.messaging.internal.projection;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.Set;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PostgreSQL advisory locks that say which instance writes each projection, all held on one
 * connection of this instance's, taken from the pool while any lock is held: a session lock goes
 * with its connection, so an instance that dies, or loses its database, gives its locks up, and one
 * connection serves every projection of the service rather than one each.
 */
final class ProjectionLocks {

  private static final Logger log = LoggerFactory.getLogger(ProjectionLocks.class);

  private final DataSource dataSource;
  private final Set<String> held = new HashSet<>();
  private @Nullable Connection connection;

  ProjectionLocks(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /**
   * Whether this instance holds the projection's lock, taking it when it is free. A lock held
   * before its connection broke is lost, and this says so ({@code false}) once, so that its holder
   * stops writing before it tries again: another instance may have taken it meanwhile.
   */
  synchronized boolean hold(String projection) throws SQLException {
    if (connection != null && !connection.isValid(2)) {
      log.warn("The connection holding the projections' locks {} is gone; they are lost", held);
      closeBroken();
      held.clear();
      return false;
    }
    if (held.contains(projection)) {
      return true;
    }
    if (connection == null) {
      connection = dataSource.getConnection();
      keepAlive(connection, "10", "5", "3", "30000");
    }
    try (PreparedStatement lock =
        connection.prepareStatement(
            "select pg_try_advisory_lock(hashtext('asyncshop.projection'), hashtext(?))")) {
      lock.setString(1, projection);
      try (ResultSet result = lock.executeQuery()) {
        if (result.next() && result.getBoolean(1)) {
          held.add(projection);
          return true;
        }
      }
    } finally {
      if (held.isEmpty()) {
        closeQuietly();
      }
    }
    return false;
  }

  /** Gives the projection's lock up, for another instance to take. */
  synchronized void release(String projection) {
    if (!held.remove(projection) || connection == null) {
      return;
    }
    // The connection goes back to the pool, not away: a lock must be given up by hand, and were
    // it not, every lock of the session is.
    try (PreparedStatement unlock =
        connection.prepareStatement(
            "select pg_advisory_unlock(hashtext('asyncshop.projection'), hashtext(?))")) {
      unlock.setString(1, projection);
      try (ResultSet result = unlock.executeQuery()) {
        if (!result.next() || !result.getBoolean(1)) {
          unlockAll();
        }
      }
    } catch (SQLException e) {
      log.debug("Unlocking projection {}: its connection is gone already", projection, e);
    }
    if (held.isEmpty()) {
      closeQuietly();
    }
  }

  private void unlockAll() throws SQLException {
    try (PreparedStatement unlock =
        connection.prepareStatement("select pg_advisory_unlock_all()")) {
      unlock.execute();
    }
  }

  /**
   * The server's keepalives on the lock's connection: the server finds out within about half a
   * minute that an instance vanished without closing it (a host lost, a network cut), and ends the
   * session, and with it the locks, instead of after the operating system's two hours.
   */
  private static void keepAlive(
      Connection connection, String idle, String interval, String count, String userTimeout)
      throws SQLException {
    try (PreparedStatement set =
        connection.prepareStatement(
            "select set_config('tcp_keepalives_idle', ?, false),"
                + " set_config('tcp_keepalives_interval', ?, false),"
                + " set_config('tcp_keepalives_count', ?, false),"
                + " set_config('tcp_user_timeout', ?, false)")) {
      set.setString(1, idle);
      set.setString(2, interval);
      set.setString(3, count);
      set.setString(4, userTimeout);
      set.execute();
    }
  }

  /** Gives a broken connection back for the pool to throw away, with nothing more asked of it. */
  private void closeBroken() {
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException e) {
        log.debug("Closing the projections' broken lock connection", e);
      }
      connection = null;
    }
  }

  private void closeQuietly() {
    if (connection != null) {
      try {
        // Back to the pool as it came: the server's defaults again.
        keepAlive(connection, "0", "0", "0", "0");
      } catch (SQLException e) {
        log.debug("Resetting the projections' lock connection", e);
      }
      try {
        connection.close();
      } catch (SQLException e) {
        log.debug("Closing the projections' lock connection", e);
      }
      connection = null;
    }
  }
}
