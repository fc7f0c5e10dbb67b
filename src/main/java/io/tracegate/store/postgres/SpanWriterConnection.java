package io.tracegate.store.postgres;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.tracegate.config.StoreConfig;
import io.tracegate.store.StoreException;
import io.tracegate.store.jdbc.Jdbc;
import io.tracegate.store.jdbc.SpanAppender;
import io.tracegate.store.jdbc.SpanRows;
import io.tracegate.store.jdbc.SqlDialect;
import io.tracegate.trace.Span;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The span writer's own connection: one transaction per batch, new spans sent as one JDBC batch that pgjdbc
 * rewrites into multi-row INSERTs ({@code reWriteBatchedInserts}). The connection is opened on first use and,
 * after a failure that leaves it unusable (the database restarted, the network dropped), closed and opened
 * again on the next write, so the batching writer's retries reconnect by themselves. Used by one thread at a
 * time (the span writer; retention and close take the same lock).
 */
final class SpanWriterConnection implements AutoCloseable {

  /**
   * After a batch, every rollout's counter is raised to at least its highest sequence id written (spans copied in
   * or appended with ids from elsewhere), in rollout-id order so concurrent writers cannot deadlock.
   */
  private static final String RAISE_COUNTERS = "INSERT INTO rollout_sequences (rollout_id, last_id)"
      + " SELECT r, m FROM unnest(?::text[], ?::bigint[]) AS t(r, m)"
      + " ON CONFLICT (rollout_id) DO UPDATE SET last_id = EXCLUDED.last_id"
      + " WHERE rollout_sequences.last_id < EXCLUDED.last_id";

  private final String url;
  private final Properties properties;
  private final String describe;
  private final SpanRows rows = new SpanRows();
  private final Partitions partitions = new Partitions();
  private final Object lock = new Object();
  private Connection connection;
  private SpanAppender appender;

  SpanWriterConnection(StoreConfig config, String describe) {
    this.url = config.url();
    this.properties = PostgresSpanStore.connectionProperties(config);
    properties.setProperty("reWriteBatchedInserts", "true");
    this.describe = describe;
  }

  void append(List<Span> spans, Runnable betweenSpans) {
    synchronized (lock) {
      try {
        Connection c = connection();
        partitions.ensure(c, spans);
        c.setAutoCommit(false);
        try {
          appender.write(spans, betweenSpans);
          c.commit();
        } catch (SQLException | JsonProcessingException | RuntimeException e) {
          appender.rolledBack();
          PostgresSpanStore.rollbackQuietly(c, e);
          throw e;
        } finally {
          restoreAutoCommit(c);
        }
        appender.committed();
        raiseCounters(c, spans);
      } catch (SQLException e) {
        dropIfBroken(e);
        throw PostgresErrors.wrap(describe, "append of " + spans.size() + " spans", e);
      } catch (JsonProcessingException e) {
        throw new StoreException(describe + ": append of " + spans.size() + " spans failed: " + e.getMessage(), e);
      }
    }
  }

  /** Drops the day partitions wholly before the cutoff; see {@link Retention}. */
  long dropPartitionsBefore(long cutoffUnixNano) {
    synchronized (lock) {
      try {
        long dropped = Retention.dropPartitions(connection(), partitions, cutoffUnixNano);
        appender.forgetCachedBases();
        return dropped;
      } catch (SQLException e) {
        dropIfBroken(e);
        throw PostgresErrors.wrap(describe, "retention", e);
      }
    }
  }

  private void raiseCounters(Connection c, List<Span> spans) throws SQLException {
    TreeMap<String, Long> highest = new TreeMap<>();
    for (Span s : spans) {
      if (s.rolloutId() != null && s.sequenceId() != null) {
        highest.merge(s.rolloutId(), s.sequenceId(), Math::max);
      }
    }
    if (highest.isEmpty()) {
      return;
    }
    Array ids = c.createArrayOf("text", highest.keySet().toArray());
    Array maxima = c.createArrayOf("bigint", highest.values().toArray());
    try (PreparedStatement ps = c.prepareStatement(RAISE_COUNTERS)) {
      ps.setArray(1, ids);
      ps.setArray(2, maxima);
      ps.executeUpdate();
    } finally {
      ids.free();
      maxima.free();
    }
  }

  private Connection connection() throws SQLException {
    if (connection == null) {
      Connection c = DriverManager.getConnection(url, properties);
      try {
        appender = new SpanAppender(c, rows, SqlDialect.POSTGRES);
      } catch (SQLException e) {
        Jdbc.closeQuietly(c);
        throw e;
      }
      connection = c;
    }
    return connection;
  }

  /** After a failure: a connection that no longer answers is closed, to be opened again by the next write. */
  private void dropIfBroken(SQLException e) {
    if (connection == null) {
      return;
    }
    boolean broken = PostgresErrors.unavailable(e);
    if (!broken) {
      try {
        broken = !connection.isValid(2);
      } catch (SQLException invalid) {
        broken = true;
      }
    }
    if (broken) {
      closeConnection();
    }
  }

  private static void restoreAutoCommit(Connection c) {
    try {
      c.setAutoCommit(true);
    } catch (SQLException ignored) {
      // the connection is broken: dropIfBroken closes it
    }
  }

  private void closeConnection() {
    Jdbc.closeQuietly(appender);
    Jdbc.closeQuietly(connection);
    appender = null;
    connection = null;
  }

  @Override
  public void close() {
    synchronized (lock) {
      closeConnection();
    }
  }

  /** For tests and retention: runs a statement on the writer connection. */
  static long scalar(Connection c, String sql) throws SQLException {
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      return rs.next() ? rs.getLong(1) : 0;
    }
  }
}
