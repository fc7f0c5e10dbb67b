package io.tracegate.dataset;

import java.util.List;
import java.util.function.Function;

/**
 * One column of an exported row: its name, type, whether it is always present, and how to read it from an
 * {@link ExportRow}. The JSONL and Parquet writers are driven by a list of these ({@link RowSchema}).
 *
 * @param fields the members of a {@link Kind#STRUCT} (strings and longs), else empty
 */
record Column(String name, Kind kind, boolean required, Function<ExportRow, Object> value, List<Column> fields) {

  /**
   * Value types: STRING (String), LONG (Number), DOUBLE (Double), BOOLEAN (Boolean), INT_LIST (int[]),
   * DOUBLE_LIST (double[], a non-finite element written as null), STRING_LIST (List of String), JSON_OBJECT (a
   * Map of name to Double: a JSON object in JSONL, its JSON text in Parquet), STRUCT (Object[] in {@code fields}
   * order: a JSON object / a Parquet group).
   */
  enum Kind { STRING, LONG, DOUBLE, BOOLEAN, INT_LIST, DOUBLE_LIST, STRING_LIST, JSON_OBJECT, STRUCT }

  static Column optional(String name, Kind kind, Function<ExportRow, Object> value) {
    return new Column(name, kind, false, value, List.of());
  }

  static Column required(String name, Kind kind, Function<ExportRow, Object> value) {
    return new Column(name, kind, true, value, List.of());
  }

  static Column struct(String name, Function<ExportRow, Object> value, Column... fields) {
    return new Column(name, Kind.STRUCT, true, value, List.of(fields));
  }

  /** A struct member: its value comes from the struct's Object[] by position. */
  static Column member(String name, Kind kind, boolean required) {
    return new Column(name, kind, required, row -> {
      throw new IllegalStateException("a struct member is read from its struct");
    }, List.of());
  }
}
