package io.tracegate.store.jdbc;

/**
 * What differs between the SQL databases the span store runs on, for the statements shared by both stores
 * ({@link SpanAppender}, {@link RolloutSql}, {@link TokenChains}, {@link PartWriter}); each store keeps its own
 * DDL, connections and transactions.
 *
 * @param name for messages
 * @param utf8Text a parameter bound as UTF-8 bytes, read as text (JSON columns are TEXT: readable with plain SQL)
 * @param greatest the scalar "larger of two values" function
 * @param newestFirst ORDER BY terms that put the most recently written of equal sequence ids first
 * @param batchedInserts new spans are found with one query per batch and inserted as one JDBC batch (which the
 *     PostgreSQL driver sends as multi-row INSERTs), instead of one {@code INSERT ... ON CONFLICT} per span
 */
public record SqlDialect(String name, String utf8Text, String greatest, String newestFirst,
    boolean batchedInserts) {

  /** SQLite: one statement per span is a function call in-process, nothing to batch. */
  public static final SqlDialect SQLITE = new SqlDialect("sqlite", "CAST(? AS TEXT)", "MAX", "rowid DESC", false);

  /** PostgreSQL: every statement is a round trip, so spans go in batches. */
  public static final SqlDialect POSTGRES = new SqlDialect("postgres", "convert_from(?, 'UTF8')", "GREATEST",
      "start_time_unix_nano DESC, span_id DESC", true);
}
