package io.tracegate.store.sqlite;

import io.tracegate.store.StoreException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The SQLite layout of spans, versioned with {@code PRAGMA user_version} so a later release can migrate a
 * file written by this one (and this one refuses a file from a newer release instead of misreading it).
 * One column per scalar span field keeps ad-hoc SQL ({@code sqlite3 traces/tracegate.db}) useful; JSON
 * payloads are TEXT, token ids and logprobs are packed BLOBs (see {@link PackedArrays}).
 */
final class SpanSchema {

  static final int VERSION = 1;

  /** Column order shared by the INSERT and every SELECT; {@link SpanRows} binds and reads by position. */
  static final List<String> COLUMNS = List.of(
      "span_id", "trace_id", "parent_id", "rollout_id", "attempt_id", "sequence_id", "kind", "name",
      "start_time_unix_nano", "end_time_unix_nano", "first_token_time_unix_nano",
      "status", "status_message", "frontend_protocol", "frontend_model", "provider", "backend",
      "backend_model", "has_usage", "input_tokens", "output_tokens", "cache_read_input_tokens",
      "cache_creation_input_tokens", "cache_creation_5m_input_tokens", "cache_creation_1h_input_tokens",
      "reasoning_tokens", "cost_usd", "request", "response", "upstream_request",
      "prompt_token_ids", "response_token_ids", "response_logprobs", "attributes");

  static final String SELECT_COLUMNS = String.join(", ", COLUMNS);

  static final String INSERT = "INSERT OR REPLACE INTO spans (" + SELECT_COLUMNS + ") VALUES ("
      + String.join(", ", COLUMNS.stream().map(c -> "?").toList()) + ")";

  private static final List<String> DDL_V1 = List.of(
      """
      CREATE TABLE IF NOT EXISTS spans (
        span_id                        TEXT PRIMARY KEY NOT NULL,
        trace_id                       TEXT,
        parent_id                      TEXT,
        rollout_id                     TEXT,
        attempt_id                     TEXT,
        sequence_id                    INTEGER,
        kind                           TEXT,
        name                           TEXT,
        start_time_unix_nano           INTEGER NOT NULL,
        end_time_unix_nano             INTEGER NOT NULL,
        first_token_time_unix_nano     INTEGER,
        status                         TEXT,
        status_message                 TEXT,
        frontend_protocol              TEXT,
        frontend_model                 TEXT,
        provider                       TEXT,
        backend                        TEXT,
        backend_model                  TEXT,
        has_usage                      INTEGER NOT NULL DEFAULT 0,
        input_tokens                   INTEGER,
        output_tokens                  INTEGER,
        cache_read_input_tokens        INTEGER,
        cache_creation_input_tokens    INTEGER,
        cache_creation_5m_input_tokens INTEGER,
        cache_creation_1h_input_tokens INTEGER,
        reasoning_tokens               INTEGER,
        cost_usd                       REAL,
        request                        TEXT,
        response                       TEXT,
        upstream_request               TEXT,
        prompt_token_ids               BLOB,
        response_token_ids             BLOB,
        response_logprobs              BLOB,
        attributes                     TEXT NOT NULL DEFAULT '{}'
      )""",
      "CREATE INDEX IF NOT EXISTS spans_rollout_sequence ON spans (rollout_id, sequence_id)",
      "CREATE INDEX IF NOT EXISTS spans_start ON spans (start_time_unix_nano, span_id)",
      "CREATE INDEX IF NOT EXISTS spans_attempt ON spans (attempt_id, start_time_unix_nano, span_id)");

  private SpanSchema() {}

  /** Creates or checks the schema on the (auto-commit) writer connection, in one IMMEDIATE transaction. */
  static void migrate(Connection writer, String describe) throws SQLException {
    try (Statement st = writer.createStatement()) {
      st.execute("BEGIN IMMEDIATE");
      try {
        int version = userVersion(st);
        if (version != VERSION) {
          checkNotNewer(version, describe);
          for (String ddl : DDL_V1) {
            st.executeUpdate(ddl);
          }
          st.executeUpdate("PRAGMA user_version = " + VERSION);
        }
        st.execute("COMMIT");
      } catch (SQLException | RuntimeException e) {
        st.execute("ROLLBACK");
        throw e;
      }
    }
  }

  /** Read-only side: the file must already hold a schema this build understands. */
  static void check(Connection reader, String describe) throws SQLException {
    try (Statement st = reader.createStatement()) {
      int version = userVersion(st);
      if (version == 0) {
        throw new StoreException(describe + " has no span table yet (schema version 0):"
            + " open it once without read-only (start the gateway) to create it");
      }
      checkNotNewer(version, describe);
    }
  }

  private static int userVersion(Statement st) throws SQLException {
    try (ResultSet rs = st.executeQuery("PRAGMA user_version")) {
      return rs.next() ? rs.getInt(1) : 0;
    }
  }

  private static void checkNotNewer(int version, String describe) {
    if (version > VERSION) {
      throw new StoreException(describe + " has schema version " + version
          + " but this build understands up to " + VERSION + ": upgrade tracegate");
    }
  }
}
