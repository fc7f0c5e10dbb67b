package io.tracegate.store.postgres;

import io.tracegate.store.StoreException;
import io.tracegate.store.StoreUnavailableException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

/**
 * Tells a database that cannot be reached (down, restarting, refusing connections, network) from one that
 * refused the statement, by SQLSTATE: class 08 (connection exception), 57P01-57P03 (admin shutdown, crash
 * shutdown, cannot connect now), 53 (insufficient resources, e.g. too many connections); a pool timeout
 * waiting for a connection is the same thing seen from HikariCP.
 */
final class PostgresErrors {

  private PostgresErrors() {}

  static boolean unavailable(SQLException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLTransientConnectionException) {
        return true;
      }
      if (t instanceof SQLException sql && sql.getSQLState() != null) {
        String state = sql.getSQLState();
        if (state.startsWith("08") || state.startsWith("57P") || state.startsWith("53")) {
          return true;
        }
      }
    }
    return false;
  }

  static StoreException wrap(String describe, String what, SQLException e) {
    String message = describe + ": " + what + " failed: " + e.getMessage();
    return unavailable(e) ? new StoreUnavailableException(message, e) : new StoreException(message, e);
  }
}
