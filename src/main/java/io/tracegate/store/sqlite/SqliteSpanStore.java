package io.tracegate.store.sqlite;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.tracegate.store.RolloutQuery;
import io.tracegate.store.RolloutSummary;
import io.tracegate.store.RolloutTablePage;
import io.tracegate.store.RolloutTableQuery;
import io.tracegate.store.SpanCursor;
import io.tracegate.store.SpanPage;
import io.tracegate.store.SpanQuery;
import io.tracegate.store.SpanStore;
import io.tracegate.store.StoreException;
import io.tracegate.store.jdbc.PromptDetach;
import io.tracegate.store.jdbc.RolloutSql;
import io.tracegate.store.jdbc.SpanAppender;
import io.tracegate.store.jdbc.SpanReads;
import io.tracegate.store.jdbc.SpanRows;
import io.tracegate.store.jdbc.SqlDialect;
import io.tracegate.trace.Span;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.sqlite.SQLiteConfig;

/**
 * Span store in one SQLite file (the default: nothing to install, one file to copy or open with
 * {@code sqlite3}). The file is in WAL mode with {@code synchronous=NORMAL}: a commit is one sequential
 * WAL append, and readers (this process's pool, or the CLI in another process opening the file with
 * {@link #openReadOnly}) read committed snapshots without blocking the writer or being blocked by it.
 * Writes go through one connection, serialised here; the batching writer makes them few and large. One
 * store per file opens it read-write ({@link WriterLock}: a second one, in any process, fails to open).
 */
public final class SqliteSpanStore implements SpanStore {

  private static final Runnable NOTHING = () -> {};

  /** How long a connection waits for a lock held by another connection or process before failing. */
  public static final int BUSY_TIMEOUT_MILLIS = 5000;

  private static final int MAX_IDLE_READERS = 4;

  private final Path file;
  private final boolean readOnly;
  private final String describe;
  private final SpanRows rows = new SpanRows();
  private final SpanReads reads = new SpanReads();
  private final ReadConnections readers;
  private final Object writeLock = new Object();
  private final Connection writer;
  private final SpanAppender appender;
  private final WriterLock fileLock;
  private final SqliteKeyStore keys = new SqliteKeyStore(this);
  private volatile boolean closed;

  /**
   * Opens (read-write: creating the file, its parent directories and the schema when absent) or attaches
   * read-only to an existing store file.
   *
   * @throws StoreException when the file cannot be opened or holds a schema this build does not know
   */
  public SqliteSpanStore(Path file, boolean readOnly) {
    this.file = Objects.requireNonNull(file, "file");
    this.readOnly = readOnly;
    this.describe = "sqlite " + file + (readOnly ? " (read-only)" : "");
    String url = "jdbc:sqlite:" + file.toAbsolutePath();
    Connection w = null;
    SpanAppender ins = null;
    ReadConnections pool = null;
    WriterLock held = null;
    try {
      if (readOnly) {
        if (!Files.isRegularFile(file)) {
          throw new StoreException("no span store at " + file + ": start the gateway once to create it");
        }
      } else {
        SqliteFiles.createParentDirectories(file);
        held = WriterLock.acquire(file); // one writer per file: a second gateway stops here
        SqliteFiles.formatNewFile(file, url);
        w = SqliteFiles.writerConfig(BUSY_TIMEOUT_MILLIS).createConnection(url);
        SpanSchema.migrate(w, describe);
        ins = new SpanAppender(w, rows, SqlDialect.SQLITE);
      }
      pool = new ReadConnections(url, BUSY_TIMEOUT_MILLIS, MAX_IDLE_READERS);
      this.readers = pool;
      this.writer = w;
      this.appender = ins;
      this.fileLock = held;
      if (readOnly) {
        withReader("check schema", c -> {
          SpanSchema.check(c, describe);
          return null;
        });
      }
    } catch (SQLException e) {
      closeAll(pool, ins, w, held);
      throw new StoreException(describe + ": cannot open: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      closeAll(pool, ins, w, held);
      throw e;
    }
  }

  public static SqliteSpanStore open(Path file) {
    return new SqliteSpanStore(file, false);
  }

  public static SqliteSpanStore openReadOnly(Path file) {
    return new SqliteSpanStore(file, true);
  }

  public Path file() {
    return file;
  }

  @Override
  public void append(List<Span> spans) {
    append(spans, NOTHING);
  }

  @Override
  public void append(List<Span> spans, Runnable betweenSpans) {
    refuseReadOnly("append");
    if (spans.isEmpty()) {
      return;
    }
    inWriteTransaction("append of " + spans.size() + " spans", () -> {
      appender.write(spans, betweenSpans);
      return null;
    });
  }

  @Override
  public boolean createRollout(String rolloutId, JsonNode metadata, long createdUnixNano) {
    Objects.requireNonNull(rolloutId, "rolloutId");
    refuseReadOnly("create rollout");
    return inWriteTransaction("create rollout " + rolloutId,
        () -> RolloutSql.create(writer, rolloutId, metadata, createdUnixNano));
  }

  @Override
  public boolean mergeRolloutTags(String rolloutId, Map<String, String> tags, long nowUnixNano) {
    Objects.requireNonNull(rolloutId, "rolloutId");
    refuseReadOnly("tag rollout");
    return inWriteTransaction("tag rollout " + rolloutId,
        () -> RolloutSql.mergeTags(writer, rolloutId, tags, nowUnixNano));
  }

  @Override
  public void addAttempt(String rolloutId, String attemptId, long createdUnixNano) {
    Objects.requireNonNull(rolloutId, "rolloutId");
    Objects.requireNonNull(attemptId, "attemptId");
    refuseReadOnly("add attempt");
    inWriteTransaction("add attempt " + attemptId + " to rollout " + rolloutId, () -> {
      RolloutSql.addAttempt(writer, rolloutId, attemptId, createdUnixNano);
      return null;
    });
  }

  @Override
  public List<String> attempts(String rolloutId) {
    Objects.requireNonNull(rolloutId, "rolloutId");
    return withReader("list attempts of rollout " + rolloutId,
        c -> inReadTransaction(c, () -> RolloutSql.attempts(c, rolloutId)));
  }

  @Override
  public Optional<Span> find(String spanId) {
    Objects.requireNonNull(spanId, "spanId");
    return withReader("find span " + spanId, c -> inReadTransaction(c, () -> reads.find(c, spanId)));
  }

  @Override
  public long count(SpanQuery query) {
    return withReader("count " + query, c -> reads.count(c, query));
  }

  @Override
  public SpanPage query(SpanQuery query) {
    query.position(); // a malformed cursor is the caller's error (IllegalArgumentException), checked first
    return withReader("query " + query, c -> inReadTransaction(c, () -> reads.query(c, query)));
  }

  @Override
  public List<RolloutSummary> rollouts(RolloutQuery query) {
    return withReader("list rollouts " + query,
        c -> inReadTransaction(c, () -> RolloutSql.recent(c, SqlDialect.SQLITE, query.sinceUnixNano(), query.limit())));
  }

  @Override
  public Optional<RolloutSummary> rollout(String rolloutId) {
    Objects.requireNonNull(rolloutId, "rolloutId");
    return withReader("summarise rollout " + rolloutId,
        c -> inReadTransaction(c, () -> RolloutSql.one(c, SqlDialect.SQLITE, rolloutId)).stream().findFirst());
  }

  @Override
  public RolloutTablePage rolloutTable(RolloutTableQuery query) {
    return withReader("list the rollouts table " + query,
        c -> inReadTransaction(c, () -> RolloutTableSql.page(c, query)));
  }

  @Override
  public List<String> rolloutIds(Long sinceUnixNano, String afterRolloutId, int limit) {
    return withReader("list rollout ids after " + afterRolloutId,
        c -> inReadTransaction(c, () -> RolloutSql.ids(c, SqlDialect.SQLITE, sinceUnixNano, afterRolloutId, limit)));
  }

  @Override
  public Map<String, Long> registeredAttempts(String rolloutId) {
    Objects.requireNonNull(rolloutId, "rolloutId");
    return withReader("list registered attempts of rollout " + rolloutId,
        c -> RolloutSql.registeredAttempts(c, rolloutId));
  }

  @Override
  public Set<String> storedSpanIds(Collection<String> spanIds) {
    return withReader("look up " + spanIds.size() + " span ids", c -> reads.storedIds(c, spanIds));
  }

  @Override
  public long maxSequenceId(String rolloutId) {
    Objects.requireNonNull(rolloutId, "rolloutId");
    return withReader("max sequence id of rollout " + rolloutId, c -> reads.maxSequenceId(c, rolloutId));
  }

  /** Spans deleted per write transaction by retention: short transactions, so span writes go on meanwhile. */
  static final int RETENTION_BATCH = 1000;

  @Override
  public long dropSpansBefore(long cutoffUnixNano) {
    refuseReadOnly("retention");
    long total = 0;
    while (true) {
      int deleted = inWriteTransaction("retention", () -> deleteBatchBefore(cutoffUnixNano));
      total += deleted;
      if (deleted < RETENTION_BATCH) {
        return total;
      }
    }
  }

  /** One batch of the oldest spans, after rewriting whole the prompts of kept spans that extend them. */
  private int deleteBatchBefore(long cutoffUnixNano) throws SQLException {
    List<String> ids = new java.util.ArrayList<>();
    try (java.sql.PreparedStatement ps = writer.prepareStatement("SELECT span_id FROM spans"
        + " WHERE start_time_unix_nano < ? ORDER BY start_time_unix_nano, span_id LIMIT " + RETENTION_BATCH)) {
      ps.setLong(1, cutoffUnixNano);
      try (java.sql.ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          ids.add(rs.getString(1));
        }
      }
    }
    if (ids.isEmpty()) {
      return 0;
    }
    PromptDetach.dependentsOf(writer, ids);
    try (java.sql.PreparedStatement delete = writer.prepareStatement("DELETE FROM spans WHERE span_id = ?")) {
      for (String id : ids) {
        delete.setString(1, id);
        delete.addBatch();
      }
      delete.executeBatch();
    }
    appender.forgetCachedBases();
    return ids.size();
  }

  @Override
  public String describe() {
    return describe;
  }

  /** Closes every connection; the WAL is checkpointed into the file when the last one closes. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    readers.close();
    synchronized (writeLock) {
      closeAll(appender, writer, fileLock);
    }
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

  /** Runs {@code body} in one IMMEDIATE transaction on the writer connection, under the write lock. */
  private <T> T inWriteTransaction(String what, SqlBody<T> body) {
    synchronized (writeLock) {
      ensureOpen();
      try (Statement st = writer.createStatement()) {
        st.execute("BEGIN IMMEDIATE");
        T result;
        try {
          result = body.run();
          st.execute("COMMIT");
        } catch (Throwable t) {
          appender.rolledBack();
          rollback(st, t);
          throw t;
        }
        appender.committed();
        return result;
      } catch (SQLException | JsonProcessingException e) {
        throw new StoreException(describe + ": " + what + " failed: " + e.getMessage(), e);
      }
    }
  }

  /** Leaves the writer connection usable after a failed transaction; a rollback failure rides along. */
  private static void rollback(Statement st, Throwable cause) {
    try {
      st.execute("ROLLBACK");
    } catch (SQLException e) {
      cause.addSuppressed(e);
    }
  }

  private <T> T withReader(String what, SqlWork<T> work) {
    ensureOpen();
    Connection c;
    try {
      c = readers.borrow();
    } catch (SQLException e) {
      throw new StoreException(describe + ": " + what + " failed: " + e.getMessage(), e);
    }
    try {
      return work.run(c);
    } catch (SQLException | JsonProcessingException e) {
      throw new StoreException(describe + ": " + what + " failed: " + e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      throw new StoreException(describe + ": " + what + " read corrupt data: " + e.getMessage(), e);
    } finally {
      readers.release(c);
    }
  }

  /** Runs several statements on one snapshot, so a concurrent commit cannot make them disagree. */
  private static <T> T inReadTransaction(Connection c, SqlBody<T> body)
      throws SQLException, JsonProcessingException {
    try (Statement st = c.createStatement()) {
      st.execute("BEGIN");
      try {
        return body.run();
      } finally {
        st.execute("COMMIT");
      }
    }
  }

  private static void closeAll(AutoCloseable... resources) {
    for (AutoCloseable r : resources) {
      if (r != null) {
        ReadConnections.closeQuietly(r);
      }
    }
  }

  @Override
  public SqliteKeyStore keys() {
    return keys;
  }

  /** {@code work} on the writer connection in one write transaction (for {@link SqliteKeyStore}). */
  <T> T writing(String what, SqlWork<T> work) {
    refuseReadOnly(what);
    return inWriteTransaction(what, () -> work.run(writer));
  }

  /** {@code work} on a reader connection (for {@link SqliteKeyStore}). */
  <T> T reading(String what, SqlWork<T> work) {
    return withReader(what, work);
  }

  @FunctionalInterface
  interface SqlWork<T> {
    T run(Connection c) throws SQLException, JsonProcessingException;
  }

  @FunctionalInterface
  private interface SqlBody<T> {
    T run() throws SQLException, JsonProcessingException;
  }
}
