package io.tracegate.dataset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Reads exported rows of any layout back as JSON trees, independently of the writers: JSONL with Jackson, Parquet
 * with DuckDB (its JDBC driver, in process), so a test compares them with rows it built itself. Numbers are
 * normalised (integers as longs, decimals as doubles) because readers differ in the integer width they report.
 */
final class RowFiles {
  private RowFiles() {}

  static List<JsonNode> jsonl(Path file) throws Exception {
    List<JsonNode> rows = new ArrayList<>();
    for (String line : Files.readAllLines(file)) {
      rows.add(normalise(Spans.json(line)));
    }
    return rows;
  }

  static List<JsonNode> jsonlText(String body) {
    List<JsonNode> rows = new ArrayList<>();
    for (String line : body.split("\n")) {
      if (!line.isBlank()) {
        rows.add(normalise(Spans.json(line)));
      }
    }
    return rows;
  }

  /** Every row as DuckDB reads it: {@code SELECT to_json(t) FROM read_parquet(file) t}. */
  static List<JsonNode> parquetByDuckDb(Path file) throws Exception {
    List<JsonNode> rows = new ArrayList<>();
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT to_json(t) FROM read_parquet('"
            + file.toAbsolutePath().toString().replace("'", "''") + "') t")) {
      while (rs.next()) {
        rows.add(normalise(Spans.json(rs.getString(1))));
      }
    }
    return rows;
  }

  /** The column names and types as DuckDB describes the file. */
  static Map<String, String> parquetColumnsByDuckDb(Path file) throws Exception {
    Map<String, String> columns = new java.util.LinkedHashMap<>();
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("DESCRIBE SELECT * FROM read_parquet('"
            + file.toAbsolutePath().toString().replace("'", "''") + "')")) {
      while (rs.next()) {
        columns.put(rs.getString("column_name"), rs.getString("column_type"));
      }
    }
    return columns;
  }

  static JsonNode normalise(JsonNode n) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    if (n.isIntegralNumber()) {
      return f.numberNode(n.longValue());
    }
    if (n.isFloatingPointNumber()) {
      return f.numberNode(n.doubleValue());
    }
    if (n.isArray()) {
      ArrayNode a = f.arrayNode();
      n.forEach(e -> a.add(normalise(e)));
      return a;
    }
    if (n.isObject()) {
      ObjectNode o = f.objectNode();
      for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        o.set(e.getKey(), normalise(e.getValue()));
      }
      return o;
    }
    return n;
  }
}
