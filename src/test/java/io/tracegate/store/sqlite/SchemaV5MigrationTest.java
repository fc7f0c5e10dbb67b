package io.tracegate.store.sqlite;

import static io.tracegate.store.SpanFixtures.assertSameSpan;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tracegate.store.SpanFixtures;
import io.tracegate.store.StoreException;
import io.tracegate.trace.Span;
import io.tracegate.trace.UpstreamAttempt;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Schema v5 adds {@code model_version} and {@code attempts}: a file written by a v4 build (made here by taking
 * a fresh file back to v4: the v5 columns dropped, {@code user_version} 4, a row written in the v4 layout) is
 * upgraded when the gateway opens it, its old rows read back with both fields null, and new rows keep them.
 */
class SchemaV5MigrationTest {
  @TempDir Path dir;

  @Test
  void aVersion4FileIsUpgradedAndItsOldRowsReadBackWithoutVersionOrAttempts() throws Exception {
    Path file = version4File("v4.db");
    try (SqliteSpanStore store = SqliteSpanStore.open(file)) {
      Span old = store.find("old").orElseThrow();
      assertThat(old.modelVersion()).isNull();
      assertThat(old.attempts()).isNull();
      assertThat(old.frontendModel()).isEqualTo("m");
      assertThat(old.status()).isEqualTo("ok");

      Span full = SpanFixtures.full("new");
      store.append(List.of(full));
      Span back = store.find("new").orElseThrow();
      assertSameSpan(back, full);
      assertThat(back.modelVersion()).isEqualTo("step-120 \u00e9");
      assertThat(back.attempts()).containsExactly(new UpstreamAttempt("vllm-a", 503, "http_503", 12L),
          new UpstreamAttempt("vllm-b", null, "connect_failed", 0L),
          new UpstreamAttempt("vllm-local", 200, null, 250L));
    }
    try (Connection c = raw(file); Statement st = c.createStatement()) {
      assertThat(text(st, "PRAGMA user_version")).isEqualTo(String.valueOf(SpanSchema.VERSION));
      assertThat(text(st, "SELECT model_version FROM spans WHERE span_id = 'new'")).isEqualTo("step-120 \u00e9");
      // compact JSON text, readable with SQLite's JSON functions
      assertThat(text(st, "SELECT attempts FROM spans WHERE span_id = 'new'")).isEqualTo(
          "[{\"backend\":\"vllm-a\",\"status\":503,\"error\":\"http_503\",\"duration_ms\":12},"
              + "{\"backend\":\"vllm-b\",\"status\":null,\"error\":\"connect_failed\",\"duration_ms\":0},"
              + "{\"backend\":\"vllm-local\",\"status\":200,\"error\":null,\"duration_ms\":250}]");
      assertThat(text(st, "SELECT json_array_length(attempts) FROM spans WHERE span_id = 'new'")).isEqualTo("3");
      assertThat(text(st, "SELECT COUNT(*) FROM spans WHERE span_id = 'old' AND model_version IS NULL"
          + " AND attempts IS NULL")).isEqualTo("1");
    }
  }

  @Test
  void aVersion4FileIsRefusedReadOnlyWithAPointerToTheUpgrade() throws Exception {
    Path file = version4File("v4ro.db");
    assertThatThrownBy(() -> SqliteSpanStore.openReadOnly(file)).isInstanceOf(StoreException.class)
        .hasMessageContaining("schema version 4").hasMessageContaining("version " + SpanSchema.VERSION);
  }

  @Test
  void anEmptyAttemptListStaysEmptyAndNullStaysNull() {
    Span base = SpanFixtures.full("x");
    Span empty = withAttempts(base, "e", List.of());
    Span none = withAttempts(base, "n", null);
    try (SqliteSpanStore store = SqliteSpanStore.open(dir.resolve("empty.db"))) {
      store.append(List.of(empty, none));
      assertThat(store.find("e").orElseThrow().attempts()).isEmpty();
      assertThat(store.find("n").orElseThrow().attempts()).isNull();
    }
  }

  private static Span withAttempts(Span s, String id, List<UpstreamAttempt> attempts) {
    return new Span(id, s.traceId(), s.parentId(), s.rolloutId(), s.attemptId(), s.sequenceId(), s.kind(),
        s.name(), s.startTimeUnixNano(), s.endTimeUnixNano(), s.firstTokenTimeUnixNano(), s.status(),
        s.statusMessage(), s.frontendProtocol(), s.frontendModel(), s.provider(), s.backend(), s.backendModel(),
        s.usage(), s.costUsd(), s.request(), s.response(), s.upstreamRequest(), s.promptTokenIds(),
        s.responseTokenIds(), s.responseLogprobs(), null, attempts, s.attributes());
  }

  /** A file as a v4 build leaves it, with one row written in the v4 layout. */
  private Path version4File(String name) throws SQLException {
    Path file = dir.resolve(name);
    SqliteSpanStore.open(file).close();
    try (Connection c = raw(file); Statement st = c.createStatement()) {
      st.executeUpdate("ALTER TABLE spans DROP COLUMN model_version");
      st.executeUpdate("ALTER TABLE spans DROP COLUMN attempts");
      st.executeUpdate("PRAGMA user_version = 4");
      st.executeUpdate("INSERT INTO spans (span_id, rollout_id, kind, start_time_unix_nano, end_time_unix_nano,"
          + " status, frontend_model, attributes, array_format) VALUES ('old', 'r', 'llm', 1, 2, 'ok', 'm', '{}', 1)");
    }
    return file;
  }

  private static String text(Statement st, String sql) throws SQLException {
    try (ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }

  private static Connection raw(Path file) throws SQLException {
    return DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
  }
}
