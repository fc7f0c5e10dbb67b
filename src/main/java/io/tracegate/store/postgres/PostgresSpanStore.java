package io.tracegate.store.postgres;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.tracegate.config.StoreConfig;
import io.tracegate.store.RolloutQuery;
import io.tracegate.store.RolloutSummary;
import io.tracegate.store.SequenceCounter;
import io.tracegate.store.SpanPage;
import io.tracegate.store.SpanQuery;
import io.tracegate.store.SpanStore;
import io.tracegate.store.StoreException;
import io.tracegate.store.jdbc.RolloutSql;
import io.tracegate.store.jdbc.SpanReads;
import io.tracegate.store.jdbc.SqlDialect;
import io.tracegate.trace.Span;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.Properties;

/**
 * Span store in a PostgreSQL database that several gateways share. The same rows, token-id compaction and
 * body parts as the SQLite store ({@code io.tracegate.store.jdbc}); PostgreSQL-specific are the schema
 * ({@link PostgresSchema}: versioned migrations, daily partitions), the writer connection ({@link SpanWriterConnection}:
 * batched multi-row inserts, reconnects after the database comes back) and the sequence counter shared by every
 * gateway ({@link PostgresSequences}).
 *
 * <p>Blocking JDBC (pgjdbc) on the span writer's thread and on Vert.x worker threads, as with SQLite, rather
 * than the reactive Vert.x PG client: every store method is synchronous by contract and shared with the CLI,
 * so the reactive client would only be blocked on. Readers and the sequence counter draw connections from a
 * HikariCP pool, the writer keeps one connection of its own.
 */
public final class PostgresSpanStore implements SpanStore {

  /** Reader connections: API queries and CLI commands, and the per-request sequence counter. */
  static final int POOL_SIZE = 8;
  /** How long a reader waits for a connection (or the database) before the call fails. */
  static final long CONNECTION_TIMEOUT_MILLIS = 2000;

  private final String describe;
  private final boolean readOnly;
  private final HikariDataSource pool;
  private final SpanReads reads = new SpanReads();
  private final SpanWriterConnection writer;
  private final PostgresSequences sequences;
  private final PostgresKeyStore keys = new PostgresKeyStore(this);
  private volatile boolean closed;

  private PostgresSpanStore(StoreConfig config, boolean readOnly) {
    this.readOnly = readOnly;
    this.describe = "postgres " + redacted(config.url()) + (readOnly ? " (read-only)" : "");
    HikariDataSource ds = null;
    try {
      ds = new HikariDataSource(poolConfig(config, readOnly));
      try (Connection c = ds.getConnection()) {
        if (readOnly) {
          PostgresSchema.check(c, describe);
        } else {
          PostgresSchema.migrate(c, describe);
        }
      }
      this.pool = ds;
      this.writer = readOnly ? null : new SpanWriterConnection(config, describe);
      this.sequences = new PostgresSequences(ds, describe);
    } catch (SQLException e) {
      if (ds != null) {
        ds.close();
      }
      throw new StoreException(describe + ": cannot open: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      if (ds != null) {
        ds.close();
      }
      if (e.getCause() instanceof SQLException sql) {
        throw new StoreException(describe + ": cannot open: " + sql.getMessage(), sql);
      }
      throw e;
    }
  }

  /**
   * Connects (read-write: creating or upgrading the schema) or attaches read-only to a database that already
   * holds a tracegate schema.
   *
   * @throws StoreException when the database cannot be reached or holds a schema this build does not know
   */
  public static PostgresSpanStore open(StoreConfig config, boolean readOnly) {
    Objects.requireNonNull(config.url(), "store.url");
    return new PostgresSpanStore(config, readOnly);
  }

  /** Connection properties shared by the pool and the writer: user, password (from the environment), timeouts. */
  static Properties connectionProperties(StoreConfig config) {
    Properties p = new Properties();
    if (config.user() != null) {
      p.setProperty("user", config.user());
    }
    if (config.password().hasValue()) {
      p.setProperty("password", config.password().value());
    }
    p.setProperty("ApplicationName", "tracegate");
    p.setProperty("connectTimeout", "5");
    p.setProperty("tcpKeepAlive", "true");
    return p;
  }

  private static HikariConfig poolConfig(StoreConfig config, boolean readOnly) {
    HikariConfig h = new HikariConfig();
    h.setJdbcUrl(config.url());
    h.setDataSourceProperties(connectionProperties(config));
    h.setPoolName("tracegate-store");
    h.setMaximumPoolSize(POOL_SIZE);
    h.setMinimumIdle(1);
    h.setConnectionTimeout(CONNECTION_TIMEOUT_MILLIS);
    h.setInitializationFailTimeout(CONNECTION_TIMEOUT_MILLIS);
    h.setReadOnly(readOnly);
    return h;
  }

  @Override
  public void append(List<Span> spans) {
    append(spans, () -> {});
  }

  @Override
  public void append(List<Span> spans, Runnable betweenSpans) {
    refuseReadOnly("append");
    ensureOpen();
    if (!spans.isEmpty()) {
      writer.append(spans, betweenSpans);
    }
  }

  @Override
  public Optional<SequenceCounter> sharedSequences() {
    return readOnly ? Optional.empty() : Optional.of(sequences);
  }

  @Override
  public boolean createRollout(String rolloutId, JsonNode metadata, long createdUnixNano) {
    Objects.requireNonNull(rolloutId, "rolloutId");
    refuseReadOnly("create rollout");
    return inTransaction("create rollout " + rolloutId, false, c -> {
      lockRollout(c, rolloutId);
      return RolloutSql.create(c, rolloutId, metadata, createdUnixNano);
    });
  }

  @Override
  public boolean mergeRolloutTags(String rolloutId, Map<String, String> tags, long nowUnixNano) {
    Objects.requireNonNull(rolloutId, "rolloutId");
    refuseReadOnly("tag rollout");
    return inTransaction("tag rollout " + rolloutId, false, c -> {
      lockRollout(c, rolloutId);
      return RolloutSql.mergeTags(c, rolloutId, tags, nowUnixNano);
    });
  }

  @Override
  public void addAttempt(String rolloutId, String attemptId, long createdUnixNano) {
    Objects.requireNonNull(rolloutId, "rolloutId");
    Objects.requireNonNull(attemptId, "attemptId");
    refuseReadOnly("add attempt");
    inTransaction("add attempt " + attemptId + " to rollout " + rolloutId, false, c -> {
      lockRollout(c, rolloutId);
      RolloutSql.addAttempt(c, rolloutId, attemptId, createdUnixNano);
      return null;
    });
  }

  @Override
  public List<String> attempts(String rolloutId) {
    Objects.requireNonNull(rolloutId, "rolloutId");
    return inTransaction("list attempts of rollout " + rolloutId, true, c -> RolloutSql.attempts(c, rolloutId));
  }

  @Override
  public Optional<Span> find(String spanId) {
    Objects.requireNonNull(spanId, "spanId");
    return inTransaction("find span " + spanId, true, c -> reads.find(c, spanId));
  }

  @Override
  public SpanPage query(SpanQuery query) {
    query.position(); // a malformed cursor is the caller's error (IllegalArgumentException), checked first
    return inTransaction("query " + query, true, c -> reads.query(c, query));
  }

  @Override
  public long count(SpanQuery query) {
    return inTransaction("count " + query, true, c -> reads.count(c, query));
  }

  @Override
  public List<RolloutSummary> rollouts(RolloutQuery query) {
    return inTransaction("list rollouts " + query, true,
        c -> RolloutSql.recent(c, SqlDialect.POSTGRES, query.sinceUnixNano(), query.limit()));
  }

  @Override
  public Optional<RolloutSummary> rollout(String rolloutId) {
    Objects.requireNonNull(rolloutId, "rolloutId");
    return inTransaction("summarise rollout " + rolloutId, true,
        c -> RolloutSql.one(c, SqlDialect.POSTGRES, rolloutId).stream().findFirst());
  }

  @Override
  public List<String> rolloutIds(Long sinceUnixNano, String afterRolloutId, int limit) {
    return inTransaction("list rollout ids after " + afterRolloutId, true,
        c -> RolloutSql.ids(c, SqlDialect.POSTGRES, sinceUnixNano, afterRolloutId, limit));
  }

  @Override
  public Map<String, Long> registeredAttempts(String rolloutId) {
    Objects.requireNonNull(rolloutId, "rolloutId");
    return inTransaction("list registered attempts of rollout " + rolloutId, true,
        c -> RolloutSql.registeredAttempts(c, rolloutId));
  }

  @Override
  public Set<String> storedSpanIds(Collection<String> spanIds) {
    return inTransaction("look up " + spanIds.size() + " span ids", true, c -> reads.storedIds(c, spanIds));
  }

  @Override
  public long maxSequenceId(String rolloutId) {
    Objects.requireNonNull(rolloutId, "rolloutId");
    return inTransaction("max sequence id of rollout " + rolloutId, true, c -> reads.maxSequenceId(c, rolloutId));
  }

  /**
   * Drops the spans that started before {@code cutoffUnixNano}, a whole day partition at a time (a day that
   * ends after the cutoff is kept whole); see {@link Retention}.
   *
   * @return spans dropped
   */
  @Override
  public long dropSpansBefore(long cutoffUnixNano) {
    refuseReadOnly("retention");
    ensureOpen();
    return writer.dropPartitionsBefore(cutoffUnixNano);
  }

  @Override
  public PostgresKeyStore keys() {
    return keys;
  }

  /** {@code work} in one write transaction on a pooled connection (for {@link PostgresKeyStore}). */
  <T> T writing(String what, SqlWork<T> work) {
    refuseReadOnly(what);
    return inTransaction(what, false, work);
  }

  /** {@code work} in one read transaction on a pooled connection (for {@link PostgresKeyStore}). */
  <T> T reading(String what, SqlWork<T> work) {
    return inTransaction(what, true, work);
  }

  @Override
  public String describe() {
    return describe;
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (writer != null) {
      writer.close();
    }
    pool.close();
  }

  /** A JDBC URL without any password it may carry ({@code ?password=...}): for logs and messages. */
  static String redacted(String url) {
    return url == null ? null : url.replaceAll("(?i)(password=)[^&]*", "$1***");
  }

  private void ensureOpen() {
    if (closed) {
      throw new StoreException(describe + ": store is closed");
    }
  }

  private void refuseReadOnly(String what) {
    if (readOnly) {
      throw new StoreException(describe + ": " + what + " refused, the store was opened read-only");
    }
  }

  /**
   * Runs {@code work} in one transaction on a pooled connection: REPEATABLE READ for reads, so the several
   * statements of one read (rows, token chains, parts) see one snapshot.
   */
  private <T> T inTransaction(String what, boolean read, SqlWork<T> work) {
    ensureOpen();
    try (Connection c = pool.getConnection()) {
      c.setAutoCommit(false);
      if (read) {
        c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
      }
      try {
        T result = work.run(c);
        c.commit();
        return result;
      } catch (SQLException | JsonProcessingException | RuntimeException e) {
        rollbackQuietly(c, e);
        throw e;
      }
    } catch (SQLException e) {
      throw PostgresErrors.wrap(describe, what, e);
    } catch (JsonProcessingException e) {
      throw new StoreException(describe + ": " + what + " failed: " + e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      throw new StoreException(describe + ": " + what + " read corrupt data: " + e.getMessage(), e);
    }
  }

  /**
   * Serialises the registry changes of one rollout across every gateway on the database until the transaction
   * ends: "register unless it exists" is a check then an insert.
   */
  private static void lockRollout(Connection c, String rolloutId) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_xact_lock(hashtextextended(?, 0))")) {
      ps.setString(1, rolloutId);
      ps.execute();
    }
  }

  static void rollbackQuietly(Connection c, Exception cause) {
    try {
      c.rollback();
    } catch (SQLException e) {
      cause.addSuppressed(e);
    }
  }

  @FunctionalInterface
  interface SqlWork<T> {
    T run(Connection c) throws SQLException, JsonProcessingException;
  }
}
