package io.tracegate.store.jdbc;

import java.util.List;

/**
 * The span row shared by the SQL stores: column order of the INSERT and of every SELECT ({@link SpanRows} binds
 * and reads by position), and the {@code array_format} bits. Each store's schema declares these columns with its
 * database's types.
 */
public final class SpanColumns {

  /** {@code array_format} bit: token id columns hold varints ({@link PackedArrays#encodeVarints}), else int32. */
  public static final int IDS_VARINT = 1;
  /** {@code array_format} bit: {@code response_logprobs} holds float32, else float64. */
  public static final int LOGPROBS_FLOAT32 = 2;

  public static final List<String> COLUMNS = List.of(
      "span_id", "trace_id", "parent_id", "rollout_id", "attempt_id", "sequence_id", "kind", "name",
      "start_time_unix_nano", "end_time_unix_nano", "first_token_time_unix_nano",
      "status", "status_message", "frontend_protocol", "frontend_model", "provider", "backend",
      "backend_model", "has_usage", "input_tokens", "output_tokens", "cache_read_input_tokens",
      "cache_creation_input_tokens", "cache_creation_5m_input_tokens", "cache_creation_1h_input_tokens",
      "reasoning_tokens", "cost_usd", "request", "response", "upstream_request",
      "prompt_token_ids", "response_token_ids", "response_logprobs", "attributes",
      "array_format", "prompt_base_span_id", "prompt_prefix_len", "request_parts", "upstream_request_parts",
      "model_version", "attempts");

  public static final String SELECT_COLUMNS = String.join(", ", COLUMNS);

  /**
   * The JSON columns are bound as UTF-8 bytes (bodies as they arrived on the wire, attributes as the generator
   * wrote them; no String in between) and stored as text, through the dialect's {@link SqlDialect#utf8Text}.
   */
  public static final List<String> UTF8_TEXT_COLUMNS =
      List.of("request", "response", "upstream_request", "attributes");

  private SpanColumns() {}

  /** {@code VALUES (...)} of one span row. */
  static String values(SqlDialect dialect) {
    return "VALUES (" + String.join(", ",
        COLUMNS.stream().map(c -> UTF8_TEXT_COLUMNS.contains(c) ? dialect.utf8Text() : "?").toList()) + ")";
  }

  /** Inserts a span row; the caller made sure its id is not stored yet. */
  static String insert(SqlDialect dialect) {
    return "INSERT INTO spans (" + SELECT_COLUMNS + ") " + values(dialect);
  }

  /** Inserts a span row, or changes nothing when its id is stored (SQLite: span_id is the primary key). */
  static String insertUnlessStored(SqlDialect dialect) {
    return insert(dialect) + " ON CONFLICT(span_id) DO NOTHING";
  }
}
