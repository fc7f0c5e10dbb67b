package io.tracegate.store.sqlite;

import static io.tracegate.store.SpanFixtures.assertSameSpan;
import static io.tracegate.store.SpanFixtures.span;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tracegate.store.RolloutSummary;
import io.tracegate.store.SpanFixtures;
import io.tracegate.store.SpanPage;
import io.tracegate.store.SpanQuery;
import io.tracegate.store.StoreException;
import io.tracegate.trace.Span;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SQLite specifics: file layout, pragmas, read-only attach and concurrent reading while writing. */
class SqliteSpanStoreTest {

  @TempDir Path dir;

  private static String plan(Statement st, String sql) throws SQLException {
    StringBuilder out = new StringBuilder();
    try (ResultSet rs = st.executeQuery("EXPLAIN QUERY PLAN " + sql)) {
      while (rs.next()) {
        out.append(rs.getString("detail")).append('\n');
      }
    }
    return out.toString();
  }

  @Test
  void createsParentDirectoriesWalModeSchemaVersionAndIndexes() throws SQLException {
    Path file = dir.resolve("a/b/tracegate.db");
    try (SqliteSpanStore store = SqliteSpanStore.open(file)) {
      assertThat(store.describe()).isEqualTo("sqlite " + file);
      assertThat(Files.isRegularFile(file)).isTrue();
      try (Connection c = raw(file); Statement st = c.createStatement()) {
        assertThat(single(st, "PRAGMA journal_mode")).isEqualTo("wal");
        assertThat(single(st, "PRAGMA page_size")).isEqualTo(String.valueOf(SqliteFiles.NEW_FILE_PAGE_SIZE));
        assertThat(single(st, "PRAGMA user_version")).isEqualTo("6");
        List<String> indexes = new ArrayList<>();
        try (ResultSet rs = st.executeQuery("SELECT name FROM sqlite_master WHERE type = 'index'"
            + " AND tbl_name = 'spans' AND name NOT LIKE 'sqlite_autoindex%' ORDER BY name")) {
          while (rs.next()) {
            indexes.add(rs.getString(1));
          }
        }
        assertThat(indexes)
            .containsExactly("spans_attempt", "spans_key", "spans_prompt_base", "spans_rollout_sequence",
                "spans_start");
        // partial indexes (spans without a rollout/attempt are not in them) still serve the lookups
        assertThat(plan(st, "SELECT span_id FROM spans WHERE rollout_id = 'r' ORDER BY sequence_id"))
            .contains("spans_rollout_sequence");
        assertThat(plan(st, "SELECT span_id FROM spans WHERE attempt_id = 'a' ORDER BY start_time_unix_nano"))
            .contains("spans_attempt");
        assertThat(plan(st, "SELECT rollout_id, COUNT(*) FROM spans WHERE rollout_id IS NOT NULL GROUP BY rollout_id"))
            .contains("spans_rollout_sequence");
        // the spend of every virtual key at start reads only the spans made with a key
        assertThat(plan(st, "SELECT " + SpanSchema.KEY_ID + ", SUM(cost_usd) FROM spans WHERE " + SpanSchema.KEY_ID
            + " IS NOT NULL GROUP BY " + SpanSchema.KEY_ID)).contains("USING INDEX spans_key");
      }
    }
    // Re-opening an existing file keeps it (schema already at version 4).
    try (SqliteSpanStore again = SqliteSpanStore.open(file)) {
      assertThat(again.maxSequenceId("r")).isZero();
    }
  }

  @Test
  void storesTokenIdsAsVarintsAndLogprobsAsPackedBlobsNotJson() throws SQLException {
    Path file = dir.resolve("t.db");
    Span full = SpanFixtures.full("s1");
    try (SqliteSpanStore store = SqliteSpanStore.open(file)) {
      store.append(List.of(full));
    }
    try (Connection c = raw(file); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT typeof(prompt_token_ids), length(prompt_token_ids),"
            + " hex(response_token_ids), typeof(response_logprobs), length(response_logprobs),"
            + " input_tokens, cost_usd, json_extract(attributes, '$.\"gen_ai.operation.name\"'),"
            + " json_extract(request, '$.model'), array_format, prompt_base_span_id FROM spans")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualTo("blob");
      // 0, 1 take a byte each; 151_643 three; negative ids and MAX_VALUE five (all 32 bits kept).
      assertThat(rs.getInt(2)).isEqualTo(1 + 1 + 5 + 3 + 5 + 5);
      assertThat(rs.getString(3)).isEqualTo("2A" + "07" + "DDA009");
      assertThat(rs.getString(4)).isEqualTo("blob");
      assertThat(rs.getInt(5)).isEqualTo(8 * full.responseLogprobs().length);
      assertThat(rs.getLong(6)).isEqualTo(1200);
      assertThat(rs.getDouble(7)).isEqualTo(full.costUsd());
      assertThat(rs.getString(8)).isEqualTo("chat");
      assertThat(rs.getString(9)).isEqualTo("claude-sonnet-4-5");
      // NaN and -1.25e-9 are not float32 values: the logprobs stay float64.
      assertThat(rs.getInt(10)).isEqualTo(1);
      assertThat(rs.getString(11)).isNull();
    }
  }

  @Test
  void readOnlyStoreInAnotherInstanceReadsWhileAWriterCommitsBatches() throws Exception {
    Path file = dir.resolve("traces/tracegate.db");
    int batches = 40;
    int batchSize = 25;
    try (SqliteSpanStore writer = SqliteSpanStore.open(file);
        SqliteSpanStore reader = SqliteSpanStore.openReadOnly(file)) {
      CompletableFuture<Void> writing = CompletableFuture.runAsync(() -> {
        for (int b = 0; b < batches; b++) {
          List<Span> batch = new ArrayList<>();
          for (int i = 0; i < batchSize; i++) {
            long seq = (long) b * batchSize + i + 1;
            batch.add(span(String.format("s%05d", seq), "live", "a", seq, "llm", seq * 10, seq * 10 + 5,
                "ok", 1L, 1L, null));
          }
          writer.append(batch);
        }
      });
      long lastSeen = 0;
      int reads = 0;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (lastSeen < (long) batches * batchSize && System.nanoTime() < deadline) {
        long seen = reader.rollout("live").map(RolloutSummary::spans).orElse(0L);
        assertThat(seen % batchSize).as("a reader sees whole batches only").isZero();
        assertThat(seen).isGreaterThanOrEqualTo(lastSeen);
        assertThat(reader.maxSequenceId("live")).isGreaterThanOrEqualTo(seen);
        lastSeen = seen;
        reads++;
      }
      writing.get(10, TimeUnit.SECONDS);
      assertThat(reads).isPositive();
      assertThat(reader.rollout("live").orElseThrow().spans()).isEqualTo(batches * batchSize);
      SpanPage page = reader.query(new SpanQuery("live", null, null, null, 1000, null));
      assertThat(page.spans()).hasSize(batches * batchSize);
      assertThat(page.nextCursor()).isNull();
    }
  }

  @Test
  void anOpenReadSnapshotDoesNotBlockTheWriterAndAnOpenWriteDoesNotBlockReaders() throws SQLException {
    Path file = dir.resolve("snap.db");
    try (SqliteSpanStore store = SqliteSpanStore.open(file);
        SqliteSpanStore reader = SqliteSpanStore.openReadOnly(file)) {
      store.append(List.of(span("s1", "r", null, 1L, "llm", 1, 2, "ok", null, null, null)));
      try (Connection cli = rawReadOnly(file); Statement st = cli.createStatement()) {
        st.execute("BEGIN");
        assertThat(single(st, "SELECT COUNT(*) FROM spans")).isEqualTo("1");
        long started = System.nanoTime();
        store.append(List.of(span("s2", "r", null, 2L, "llm", 3, 4, "ok", null, null, null)));
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isLessThan(2000);
        assertThat(single(st, "SELECT COUNT(*) FROM spans")).as("snapshot is stable").isEqualTo("1");
        st.execute("COMMIT");
        assertThat(single(st, "SELECT COUNT(*) FROM spans")).isEqualTo("2");
      }
      try (Connection otherWriter = raw(file); Statement st = otherWriter.createStatement()) {
        st.execute("BEGIN IMMEDIATE");
        st.executeUpdate("DELETE FROM spans");
        long started = System.nanoTime();
        assertThat(reader.maxSequenceId("r")).as("uncommitted delete is invisible").isEqualTo(2);
        assertThat(store.find("s1")).isPresent();
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isLessThan(2000);
        st.execute("ROLLBACK");
      }
    }
  }

  @Test
  void readOnlyOpensAFileWhoseWriterHasClosed() {
    Path file = dir.resolve("closed.db");
    Span full = SpanFixtures.full("s1");
    try (SqliteSpanStore writer = SqliteSpanStore.open(file)) {
      writer.append(List.of(full));
    }
    try (SqliteSpanStore reader = SqliteSpanStore.openReadOnly(file)) {
      assertSameSpan(reader.find("s1").orElseThrow(), full);
    }
  }

  @Test
  void readOnlyRefusesToWriteAndToOpenAMissingFile() {
    Path file = dir.resolve("ro.db");
    assertThatThrownBy(() -> SqliteSpanStore.openReadOnly(file))
        .isInstanceOf(StoreException.class).hasMessageContaining("no span store at");
    assertThat(Files.exists(file)).isFalse();
    SqliteSpanStore.open(file).close();
    try (SqliteSpanStore reader = SqliteSpanStore.openReadOnly(file)) {
      assertThatThrownBy(() -> reader.append(List.of(SpanFixtures.minimal("x"))))
          .isInstanceOf(StoreException.class).hasMessageContaining("read-only");
    }
  }

  @Test
  void readOnlyRefusesAFileWithoutSchema() throws SQLException {
    Path file = dir.resolve("empty.db");
    raw(file).close();
    assertThatThrownBy(() -> SqliteSpanStore.openReadOnly(file))
        .isInstanceOf(StoreException.class).hasMessageContaining("no span table");
  }

  @Test
  void refusesAFileFromANewerSchema() throws SQLException {
    Path file = dir.resolve("future.db");
    SqliteSpanStore.open(file).close();
    try (Connection c = raw(file); Statement st = c.createStatement()) {
      st.executeUpdate("PRAGMA user_version = 99");
    }
    assertThatThrownBy(() -> SqliteSpanStore.open(file))
        .isInstanceOf(StoreException.class).hasMessageContaining("schema version 99").hasMessageContaining("upgrade");
    assertThatThrownBy(() -> SqliteSpanStore.openReadOnly(file))
        .isInstanceOf(StoreException.class).hasMessageContaining("schema version 99");
  }

  @Test
  void aFailedBatchWritesNothingAndTheStoreKeepsWorking() {
    try (SqliteSpanStore store = SqliteSpanStore.open(dir.resolve("atomic.db"))) {
      Span good = span("g1", "r", null, 1L, "llm", 1, 2, "ok", null, null, null);
      Span bad = span(null, "r", null, 2L, "llm", 3, 4, "ok", null, null, null);
      assertThatThrownBy(() -> store.append(List.of(good, bad)))
          .isInstanceOf(StoreException.class).hasMessageContaining("append of 2 spans failed");
      assertThat(store.find("g1")).isEmpty();
      store.append(List.of(good));
      assertThat(store.find("g1")).isPresent();
    }
  }

  @Test
  void theBetweenSpansHookRunsAfterEachSpanInsideTheBatchTransaction() throws SQLException {
    Path file = dir.resolve("paced.db");
    try (SqliteSpanStore store = SqliteSpanStore.open(file); Connection reader = raw(file);
        Statement st = reader.createStatement()) {
      List<String> seenByReader = new ArrayList<>();
      List<Span> spans = List.of(
          span("p1", "r", null, 1L, "llm", 1, 2, "ok", null, null, null),
          span("p2", "r", null, 2L, "llm", 3, 4, "ok", null, null, null),
          span("p3", "r", null, 3L, "llm", 5, 6, "ok", null, null, null));
      store.append(spans, () -> {
        try {
          seenByReader.add(single(st, "SELECT COUNT(*) FROM spans"));
        } catch (SQLException e) {
          throw new IllegalStateException(e);
        }
      });
      // once per span, while the batch is still uncommitted (another connection sees none of it)
      assertThat(seenByReader).containsExactly("0", "0", "0");
      assertThat(single(st, "SELECT COUNT(*) FROM spans")).isEqualTo("3");
    }
  }

  @Test
  void jsonPayloadsAreStoredAsTheTextThatArrivedSoSqlJsonFunctionsWork() throws Exception {
    Path file = dir.resolve("text.db");
    String request = "{ \"model\" : \"m\", \"messages\":[{\"role\":\"user\",\"content\":\"caf\u00e9 \\u00e9\"}]}";
    Span raw = span("j1", "r", null, 1L, "llm", 1, 2, "ok", null, null, null);
    Span withBodies = new Span(raw.spanId(), raw.traceId(), raw.parentId(), raw.rolloutId(), raw.attemptId(),
        raw.sequenceId(), raw.kind(), raw.name(), raw.startTimeUnixNano(), raw.endTimeUnixNano(),
        raw.firstTokenTimeUnixNano(), raw.status(), raw.statusMessage(), raw.frontendProtocol(),
        raw.frontendModel(), raw.provider(), raw.backend(), raw.backendModel(), raw.usage(), raw.costUsd(),
        io.tracegate.trace.RawJson.of(request.getBytes(java.nio.charset.StandardCharsets.UTF_8)),
        new com.fasterxml.jackson.databind.ObjectMapper().readTree("{\"id\":\"x\",\"n\":[1,2]}"), null,
        null, null, null, java.util.Map.of("note", "caf\u00e9"));
    try (SqliteSpanStore store = SqliteSpanStore.open(file)) {
      store.append(List.of(withBodies));
      try (Connection c = raw(file); Statement st = c.createStatement()) {
        assertThat(single(st, "SELECT typeof(request) || ',' || typeof(response) || ',' || typeof(upstream_request)"
            + " || ',' || typeof(attributes) FROM spans")).isEqualTo("text,text,null,text");
        assertThat(single(st, "SELECT request FROM spans")).isEqualTo(request); // byte for byte, spacing kept
        assertThat(single(st, "SELECT json_extract(request, '$.messages[0].content') FROM spans"))
            .isEqualTo("caf\u00e9 \u00e9");
        assertThat(single(st, "SELECT json_extract(response, '$.n[1]') FROM spans")).isEqualTo("2");
        assertThat(single(st, "SELECT json_extract(attributes, '$.note') FROM spans")).isEqualTo("caf\u00e9");
      }
      Span back = store.find("j1").orElseThrow();
      assertThat(back.attributes()).containsEntry("note", "caf\u00e9");
      assertThat(back.request()).isEqualTo(io.tracegate.trace.RawJson.materialize(withBodies.request()));
      assertThat(back.response()).isEqualTo(withBodies.response());
      assertThat(back.upstreamRequest()).isNull();
    }
  }

  @Test
  void theWriterCheckpointsTheWalInSmallSteps() throws SQLException {
    String url = "jdbc:sqlite:" + dir.resolve("ckpt.db").toAbsolutePath();
    try (Connection writer = SqliteFiles.writerConfig(1000).createConnection(url);
        Statement st = writer.createStatement()) {
      assertThat(single(st, "PRAGMA wal_autocheckpoint"))
          .isEqualTo(String.valueOf(SqliteFiles.WAL_AUTOCHECKPOINT_PAGES));
    }
  }

  @Test
  void reportsCorruptRowsAsStoreExceptions() throws SQLException {
    Path file = dir.resolve("corrupt.db");
    try (SqliteSpanStore store = SqliteSpanStore.open(file)) {
      store.append(List.of(SpanFixtures.full("c1")));
      try (Connection c = raw(file); Statement st = c.createStatement()) {
        st.executeUpdate("UPDATE spans SET prompt_token_ids = x'0180'");
      }
      assertThatThrownBy(() -> store.find("c1"))
          .isInstanceOf(StoreException.class).hasMessageContaining("find span c1").hasMessageContaining("varint");
    }
  }

  @Test
  void aClosedStoreFailsClearly() {
    SqliteSpanStore store = SqliteSpanStore.open(dir.resolve("closed2.db"));
    store.close();
    store.close();
    assertThatThrownBy(() -> store.find("x")).isInstanceOf(StoreException.class).hasMessageContaining("closed");
    assertThatThrownBy(() -> store.append(List.of(SpanFixtures.minimal("x"))))
        .isInstanceOf(StoreException.class).hasMessageContaining("closed");
  }

  private static Connection raw(Path file) throws SQLException {
    return DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
  }

  private static Connection rawReadOnly(Path file) throws SQLException {
    org.sqlite.SQLiteConfig config = new org.sqlite.SQLiteConfig();
    config.setReadOnly(true);
    return config.createConnection("jdbc:sqlite:" + file.toAbsolutePath());
  }

  private static String single(Statement st, String sql) throws SQLException {
    try (ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }
}
