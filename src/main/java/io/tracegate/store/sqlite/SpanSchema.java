package io.tracegate.store.sqlite;

import io.tracegate.store.StoreException;
import io.tracegate.store.jdbc.SpanColumns;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The SQLite layout of spans, versioned with {@code PRAGMA user_version} so a later release can migrate a
 * file written by this one (and this one refuses a file from a newer release instead of misreading it).
 * One column per scalar span field keeps ad-hoc SQL ({@code sqlite3 traces/tracegate.db}) useful; JSON
 * payloads are TEXT, token ids and logprobs are packed BLOBs (see {@link io.tracegate.store.jdbc.PackedArrays}).
 */
final class SpanSchema {

  static final int VERSION = 6;

  /** {@code array_format} bits, see {@link SpanColumns}. */
  static final int IDS_VARINT = SpanColumns.IDS_VARINT;
  static final int LOGPROBS_FLOAT32 = SpanColumns.LOGPROBS_FLOAT32;

  /** Column order shared by the INSERT and every SELECT ({@link SpanColumns}). */
  static final String SELECT_COLUMNS = SpanColumns.SELECT_COLUMNS;

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

  /**
   * v1 -> v2: compact token ids and the rollout registry. Existing rows keep {@code array_format} 0 (int32
   * ids, float64 logprobs) and no prompt base, so they read back unchanged. A row with
   * {@code prompt_base_span_id} stores in {@code prompt_token_ids} only the ids after its first
   * {@code prompt_prefix_len}, which are the first ids of the base span's prompt followed by its response.
   */
  private static final List<String> DDL_V2 = List.of(
      "ALTER TABLE spans ADD COLUMN array_format INTEGER NOT NULL DEFAULT 0",
      "ALTER TABLE spans ADD COLUMN prompt_base_span_id TEXT",
      "ALTER TABLE spans ADD COLUMN prompt_prefix_len INTEGER NOT NULL DEFAULT 0",
      "CREATE INDEX IF NOT EXISTS spans_prompt_base ON spans (prompt_base_span_id)"
          + " WHERE prompt_base_span_id IS NOT NULL",
      """
      CREATE TABLE IF NOT EXISTS rollouts (
        rollout_id        TEXT PRIMARY KEY NOT NULL,
        metadata          TEXT,
        created_unix_nano INTEGER NOT NULL
      )""",
      """
      CREATE TABLE IF NOT EXISTS attempts (
        rollout_id        TEXT NOT NULL,
        attempt_id        TEXT NOT NULL,
        created_unix_nano INTEGER NOT NULL,
        PRIMARY KEY (rollout_id, attempt_id)
      )""");

  /**
   * v2 -> v3: the rollout and attempt indexes only hold spans that have a rollout / an attempt. Spans of
   * plain tracing (no rollout) were two index inserts each for entries no query reads; every query on these
   * columns ({@code rollout_id = ?}, {@code IN (...)}, {@code IS NOT NULL}) implies the condition, so SQLite
   * still uses the indexes for them.
   */
  private static final List<String> DDL_V3 = List.of(
      "DROP INDEX IF EXISTS spans_rollout_sequence",
      "CREATE INDEX spans_rollout_sequence ON spans (rollout_id, sequence_id) WHERE rollout_id IS NOT NULL",
      "DROP INDEX IF EXISTS spans_attempt",
      "CREATE INDEX spans_attempt ON spans (attempt_id, start_time_unix_nano, span_id)"
          + " WHERE attempt_id IS NOT NULL");

  /**
   * v3 -> v4: request bodies store their repeated pieces (system prompt, tools, earlier messages) once, in
   * {@code payload_parts}; see {@link BodyParts}. A row's {@code request_parts} / {@code upstream_request_parts}
   * say where its body's placeholders are; NULL (every row written before v4) means the body is stored whole.
   * {@code json} is TEXT so that {@code SELECT json FROM payload_parts WHERE part_id = N} reads as the piece.
   */
  private static final List<String> DDL_V4 = List.of(
      "ALTER TABLE spans ADD COLUMN request_parts BLOB",
      "ALTER TABLE spans ADD COLUMN upstream_request_parts BLOB",
      """
      CREATE TABLE IF NOT EXISTS payload_parts (
        part_id INTEGER PRIMARY KEY,
        hash    INTEGER NOT NULL,
        json    TEXT NOT NULL
      )""",
      "CREATE INDEX IF NOT EXISTS payload_parts_hash ON payload_parts (hash)");

  /**
   * v4 -> v5: the policy version a call was served with ({@code model_version}) and its upstream tries
   * ({@code attempts}, compact JSON text {@code [{"backend","status","error","duration_ms"}]}). Rows written
   * before v5 read back with both null.
   */
  private static final List<String> DDL_V5 = List.of(
      "ALTER TABLE spans ADD COLUMN model_version TEXT",
      "ALTER TABLE spans ADD COLUMN attempts TEXT");

  /**
   * The expression that reads a span's virtual key id from its attributes ({@code tracegate.key.id}); null for a
   * span without one. The {@code instr} test first keeps JSON parsing off the spans made without a key (most of
   * them: this is evaluated on every insert), and {@code json_valid} keeps a malformed attributes text (a row
   * damaged by hand) from failing the insert, the update or the migration that builds the index.
   */
  static final String KEY_ID = "(CASE WHEN instr(attributes, '\"tracegate.key.id\"') > 0 AND json_valid(attributes)"
      + " THEN json_extract(attributes, '$.\"tracegate.key.id\"') END)";

  /**
   * v5 -> v6: virtual keys (their secrets only as SHA-256; see {@link SqliteKeyStore}) and an index of the spans
   * made with a key, by key, covering their cost: a gateway sums each key's spend at start without reading other
   * spans. Spans without a key are not in it.
   */
  private static final List<String> DDL_V6 = List.of(
      """
      CREATE TABLE IF NOT EXISTS virtual_keys (
        key_id            TEXT PRIMARY KEY NOT NULL,
        name              TEXT NOT NULL,
        secret_sha256     TEXT NOT NULL UNIQUE,
        models            TEXT,
        rpm               INTEGER,
        tpm               INTEGER,
        budget_usd        REAL,
        expires_unix_nano INTEGER,
        metadata          TEXT,
        created_unix_nano INTEGER NOT NULL,
        revoked_unix_nano INTEGER
      )""",
      "CREATE INDEX IF NOT EXISTS spans_key ON spans (" + KEY_ID + ", cost_usd) WHERE " + KEY_ID + " IS NOT NULL");

  /** The DDL that takes a file from version i to i + 1 (a new file starts at 0). */
  private static final List<List<String>> MIGRATIONS = List.of(DDL_V1, DDL_V2, DDL_V3, DDL_V4, DDL_V5, DDL_V6);

  private SpanSchema() {}

  /** Creates or checks the schema on the (auto-commit) writer connection, in one IMMEDIATE transaction. */
  static void migrate(Connection writer, String describe) throws SQLException {
    try (Statement st = writer.createStatement()) {
      st.execute("BEGIN IMMEDIATE");
      try {
        int version = userVersion(st);
        if (version != VERSION) {
          checkNotNewer(version, describe);
          for (List<String> step : MIGRATIONS.subList(Math.max(version, 0), VERSION)) {
            for (String ddl : step) {
              st.executeUpdate(ddl);
            }
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
      if (version < VERSION) {
        throw new StoreException(describe + " has schema version " + version + " (written by an older tracegate):"
            + " open it once without read-only (start the gateway) to upgrade it to version " + VERSION);
      }
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
