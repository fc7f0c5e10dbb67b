package io.tracegate.store.sqlite;

import io.tracegate.store.RolloutSummary;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Rollout summaries as two SQL aggregates: one row per rollout (counts, sums, times), then the attempts
 * of the selected rollouts ordered by their earliest start (ties by attempt id). Last activity, which
 * orders and filters rollouts, is the latest start or end of any of the rollout's spans.
 */
final class RolloutSql {

  private static final int IN_CHUNK = 500;

  private static final String AGGREGATE = """
      SELECT rollout_id,
             COUNT(*),
             SUM(CASE WHEN status = 'error' THEN 1 ELSE 0 END),
             COALESCE(SUM(input_tokens), 0),
             COALESCE(SUM(output_tokens), 0),
             SUM(cost_usd),
             MIN(start_time_unix_nano),
             MAX(end_time_unix_nano),
             COALESCE(MAX(sequence_id), 0),
             MAX(MAX(end_time_unix_nano), MAX(start_time_unix_nano)) AS last_activity
      FROM spans
      """;

  private RolloutSql() {}

  static List<RolloutSummary> recent(Connection c, Long sinceUnixNano, int limit) throws SQLException {
    String sql = AGGREGATE + " WHERE rollout_id IS NOT NULL GROUP BY rollout_id"
        + (sinceUnixNano == null ? "" : " HAVING last_activity >= ?")
        + " ORDER BY last_activity DESC, rollout_id LIMIT ?";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      int i = 1;
      if (sinceUnixNano != null) {
        ps.setLong(i++, sinceUnixNano);
      }
      ps.setInt(i, limit);
      return withAttempts(c, aggregates(ps));
    }
  }

  static List<RolloutSummary> one(Connection c, String rolloutId) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(AGGREGATE + " WHERE rollout_id = ? GROUP BY rollout_id")) {
      ps.setString(1, rolloutId);
      return withAttempts(c, aggregates(ps));
    }
  }

  private static List<Row> aggregates(PreparedStatement ps) throws SQLException {
    List<Row> rows = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        double cost = rs.getDouble(6);
        Double costUsd = rs.wasNull() ? null : cost;
        rows.add(new Row(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5),
            costUsd, rs.getLong(7), rs.getLong(8), rs.getLong(9)));
      }
    }
    return rows;
  }

  private static List<RolloutSummary> withAttempts(Connection c, List<Row> rows) throws SQLException {
    Map<String, List<String>> attempts = new LinkedHashMap<>();
    for (int from = 0; from < rows.size(); from += IN_CHUNK) {
      List<Row> chunk = rows.subList(from, Math.min(rows.size(), from + IN_CHUNK));
      String marks = String.join(", ", Collections.nCopies(chunk.size(), "?"));
      String sql = "SELECT rollout_id, attempt_id, MIN(start_time_unix_nano) AS first_start FROM spans"
          + " WHERE attempt_id IS NOT NULL AND rollout_id IN (" + marks + ")"
          + " GROUP BY rollout_id, attempt_id ORDER BY rollout_id, first_start, attempt_id";
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        for (int i = 0; i < chunk.size(); i++) {
          ps.setString(i + 1, chunk.get(i).rolloutId());
        }
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            attempts.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(rs.getString(2));
          }
        }
      }
    }
    List<RolloutSummary> out = new ArrayList<>(rows.size());
    for (Row r : rows) {
      out.add(new RolloutSummary(r.rolloutId(), attempts.getOrDefault(r.rolloutId(), List.of()), r.spans(),
          r.errors(), r.inputTokens(), r.outputTokens(), r.costUsd(), r.firstStart(), r.lastEnd(),
          r.maxSequenceId()));
    }
    return out;
  }

  private record Row(String rolloutId, long spans, long errors, long inputTokens, long outputTokens,
      Double costUsd, long firstStart, long lastEnd, long maxSequenceId) {}
}
