package io.tracegate.store.jdbc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
 * Rollout summaries and the rollout registry. A summary is one SQL aggregate over spans joined with the
 * {@code rollouts} table (so a registered rollout without spans is listed), then the attempts of the
 * selected rollouts from spans and the {@code attempts} table, ordered by first appearance (ties by id).
 * Last activity, which orders and filters rollouts, is the latest start or end of any span, or the
 * registration time when later.
 */
public final class RolloutSql {

  private static final int IN_CHUNK = 400;
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * {@code %1$s} filters spans, {@code %2$s} filters registered rollouts (each binds one rollout id or none),
   * {@code %3$s} is the dialect's {@link SqlDialect#greatest}.
   */
  private static final String SUMMARY = """
      SELECT * FROM (
        WITH agg AS (
          SELECT rollout_id,
                 COUNT(*) AS spans,
                 SUM(CASE WHEN status = 'error' THEN 1 ELSE 0 END) AS errors,
                 COALESCE(SUM(input_tokens), 0) AS input_tokens,
                 COALESCE(SUM(output_tokens), 0) AS output_tokens,
                 SUM(cost_usd) AS cost_usd,
                 MIN(start_time_unix_nano) AS first_start,
                 MAX(end_time_unix_nano) AS last_end,
                 COALESCE(MAX(sequence_id), 0) AS max_seq,
                 %3$s(MAX(end_time_unix_nano), MAX(start_time_unix_nano)) AS activity
          FROM spans WHERE %1$s GROUP BY rollout_id),
        ids AS (SELECT rollout_id FROM agg UNION SELECT rollout_id FROM rollouts WHERE %2$s)
        SELECT ids.rollout_id AS rollout_id,
               COALESCE(agg.spans, 0), COALESCE(agg.errors, 0), COALESCE(agg.input_tokens, 0),
               COALESCE(agg.output_tokens, 0), agg.cost_usd, COALESCE(agg.first_start, 0),
               COALESCE(agg.last_end, 0), COALESCE(agg.max_seq, 0), r.metadata,
               COALESCE(r.created_unix_nano, agg.first_start) AS created,
               %3$s(COALESCE(agg.activity, r.created_unix_nano), COALESCE(r.created_unix_nano, agg.activity))
                   AS last_activity
        FROM ids LEFT JOIN agg ON agg.rollout_id = ids.rollout_id
                 LEFT JOIN rollouts r ON r.rollout_id = ids.rollout_id)
      """;

  private RolloutSql() {}

  public static List<RolloutSummary> recent(Connection c, SqlDialect dialect, Long sinceUnixNano, int limit)
      throws SQLException, JsonProcessingException {
    String sql = SUMMARY.formatted("rollout_id IS NOT NULL", "true", dialect.greatest())
        + (sinceUnixNano == null ? "" : " WHERE last_activity >= ?")
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

  public static List<RolloutSummary> one(Connection c, SqlDialect dialect, String rolloutId)
      throws SQLException, JsonProcessingException {
    try (PreparedStatement ps =
        c.prepareStatement(SUMMARY.formatted("rollout_id = ?", "rollout_id = ?", dialect.greatest()))) {
      ps.setString(1, rolloutId);
      ps.setString(2, rolloutId);
      return withAttempts(c, aggregates(ps));
    }
  }

  /** Rollout ids with their last activity, as {@link io.tracegate.store.SpanStore#rolloutIds} pages them. */
  public static List<String> ids(Connection c, SqlDialect dialect, Long sinceUnixNano, String afterRolloutId,
      int limit) throws SQLException {
    String after = afterRolloutId == null ? "" : " AND rollout_id > ?";
    String sql = "SELECT rollout_id FROM ("
        + " SELECT rollout_id, " + dialect.greatest() + "(MAX(start_time_unix_nano), MAX(end_time_unix_nano))"
        + " AS activity FROM spans"
        + " WHERE rollout_id IS NOT NULL" + after + " GROUP BY rollout_id"
        + " UNION ALL SELECT rollout_id, created_unix_nano FROM rollouts WHERE true" + after + ")"
        + " GROUP BY rollout_id" + (sinceUnixNano == null ? "" : " HAVING MAX(activity) >= ?")
        + " ORDER BY rollout_id LIMIT ?";
    List<String> ids = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      int i = 1;
      if (afterRolloutId != null) {
        ps.setString(i++, afterRolloutId);
        ps.setString(i++, afterRolloutId);
      }
      if (sinceUnixNano != null) {
        ps.setLong(i++, sinceUnixNano);
      }
      ps.setInt(i, Math.max(0, limit));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          ids.add(rs.getString(1));
        }
      }
    }
    return ids;
  }

  public static List<String> attempts(Connection c, String rolloutId) throws SQLException {
    return attemptsOf(c, List.of(rolloutId)).getOrDefault(rolloutId, List.of());
  }

  /** The attempts registered for the rollout (not those only seen in spans), with their registration times. */
  public static Map<String, Long> registeredAttempts(Connection c, String rolloutId) throws SQLException {
    Map<String, Long> out = new LinkedHashMap<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT attempt_id, created_unix_nano FROM attempts"
        + " WHERE rollout_id = ? ORDER BY created_unix_nano, attempt_id")) {
      ps.setString(1, rolloutId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.put(rs.getString(1), rs.getLong(2));
        }
      }
    }
    return out;
  }

  /** Registers a rollout unless it exists (registered or in spans); call in a write transaction. */
  public static boolean create(Connection w, String rolloutId, JsonNode metadata, long createdUnixNano)
      throws SQLException, JsonProcessingException {
    if (exists(w, rolloutId)) {
      return false;
    }
    try (PreparedStatement ps =
        w.prepareStatement("INSERT INTO rollouts (rollout_id, metadata, created_unix_nano) VALUES (?, ?, ?)")) {
      ps.setString(1, rolloutId);
      ps.setString(2, metadata == null || metadata.isNull() || metadata.isMissingNode()
          ? null : JSON.writeValueAsString(metadata));
      ps.setLong(3, createdUnixNano);
      ps.executeUpdate();
    }
    return true;
  }

  /** Adds the tags the rollout's metadata lacks, registering it when needed; call in a write transaction. */
  public static boolean mergeTags(Connection w, String rolloutId, Map<String, String> tags, long nowUnixNano)
      throws SQLException, JsonProcessingException {
    String stored = null;
    boolean registered = false;
    try (PreparedStatement ps = w.prepareStatement("SELECT metadata FROM rollouts WHERE rollout_id = ?")) {
      ps.setString(1, rolloutId);
      try (ResultSet rs = ps.executeQuery()) {
        if (rs.next()) {
          registered = true;
          stored = rs.getString(1);
        }
      }
    }
    JsonNode old = stored == null ? null : JSON.readTree(stored);
    ObjectNode merged = old instanceof ObjectNode o ? o : JSON.createObjectNode();
    boolean changed = false;
    for (Map.Entry<String, String> tag : tags.entrySet()) {
      if (!merged.has(tag.getKey())) {
        merged.put(tag.getKey(), tag.getValue());
        changed = true;
      }
    }
    if (!registered) {
      try (PreparedStatement ps = w.prepareStatement(
          "INSERT INTO rollouts (rollout_id, metadata, created_unix_nano) VALUES (?, ?, ?)")) {
        ps.setString(1, rolloutId);
        ps.setString(2, JSON.writeValueAsString(merged));
        ps.setLong(3, nowUnixNano);
        ps.executeUpdate();
      }
      return true;
    }
    if (changed) {
      try (PreparedStatement ps = w.prepareStatement("UPDATE rollouts SET metadata = ? WHERE rollout_id = ?")) {
        ps.setString(1, JSON.writeValueAsString(merged));
        ps.setString(2, rolloutId);
        ps.executeUpdate();
      }
    }
    return changed;
  }

  /** Registers an attempt (idempotent) and, when the rollout is unknown, the rollout; call in a write transaction. */
  public static void addAttempt(Connection w, String rolloutId, String attemptId, long createdUnixNano)
      throws SQLException, JsonProcessingException {
    try (PreparedStatement ps = w.prepareStatement(
        "INSERT INTO attempts (rollout_id, attempt_id, created_unix_nano) VALUES (?, ?, ?) ON CONFLICT DO NOTHING")) {
      ps.setString(1, rolloutId);
      ps.setString(2, attemptId);
      ps.setLong(3, createdUnixNano);
      ps.executeUpdate();
    }
    create(w, rolloutId, null, createdUnixNano);
  }

  private static boolean exists(Connection c, String rolloutId) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT EXISTS (SELECT 1 FROM rollouts WHERE rollout_id = ?)"
        + " OR EXISTS (SELECT 1 FROM spans WHERE rollout_id = ?)")) {
      ps.setString(1, rolloutId);
      ps.setString(2, rolloutId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() && rs.getBoolean(1);
      }
    }
  }

  private static List<Row> aggregates(PreparedStatement ps) throws SQLException, JsonProcessingException {
    List<Row> rows = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        double cost = rs.getDouble(6);
        Double costUsd = rs.wasNull() ? null : cost;
        String metadata = rs.getString(10);
        rows.add(new Row(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5),
            costUsd, rs.getLong(7), rs.getLong(8), rs.getLong(9),
            metadata == null ? null : JSON.readTree(metadata), rs.getLong(11)));
      }
    }
    return rows;
  }

  private static List<RolloutSummary> withAttempts(Connection c, List<Row> rows) throws SQLException {
    Map<String, List<String>> attempts = attemptsOf(c, rows.stream().map(Row::rolloutId).toList());
    List<RolloutSummary> out = new ArrayList<>(rows.size());
    for (Row r : rows) {
      out.add(new RolloutSummary(r.rolloutId(), attempts.getOrDefault(r.rolloutId(), List.of()), r.spans(),
          r.errors(), r.inputTokens(), r.outputTokens(), r.costUsd(), r.firstStart(), r.lastEnd(),
          r.maxSequenceId(), r.metadata(), r.created()));
    }
    return out;
  }

  /** Attempts of the rollouts, registered or seen in spans, by first appearance then id. */
  private static Map<String, List<String>> attemptsOf(Connection c, List<String> rolloutIds) throws SQLException {
    Map<String, List<String>> attempts = new LinkedHashMap<>();
    for (int from = 0; from < rolloutIds.size(); from += IN_CHUNK) {
      List<String> chunk = rolloutIds.subList(from, Math.min(rolloutIds.size(), from + IN_CHUNK));
      String marks = String.join(", ", Collections.nCopies(chunk.size(), "?"));
      String sql = "SELECT rollout_id, attempt_id, MIN(first_seen) AS first_seen FROM ("
          + " SELECT rollout_id, attempt_id, MIN(start_time_unix_nano) AS first_seen FROM spans"
          + " WHERE attempt_id IS NOT NULL AND rollout_id IN (" + marks + ") GROUP BY rollout_id, attempt_id"
          + " UNION ALL SELECT rollout_id, attempt_id, created_unix_nano FROM attempts"
          + " WHERE rollout_id IN (" + marks + "))"
          + " GROUP BY rollout_id, attempt_id ORDER BY rollout_id, first_seen, attempt_id";
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        for (int i = 0; i < chunk.size(); i++) {
          ps.setString(i + 1, chunk.get(i));
          ps.setString(chunk.size() + i + 1, chunk.get(i));
        }
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            attempts.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(rs.getString(2));
          }
        }
      }
    }
    return attempts;
  }

  private record Row(String rolloutId, long spans, long errors, long inputTokens, long outputTokens,
      Double costUsd, long firstStart, long lastEnd, long maxSequenceId, JsonNode metadata, long created) {}
}
