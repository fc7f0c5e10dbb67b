package io.tracegate.store.sqlite;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracegate.store.RolloutRow;
import io.tracegate.store.RolloutTablePage;
import io.tracegate.store.RolloutTableQuery;
import io.tracegate.store.jdbc.RolloutSql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The rollouts list ({@link io.tracegate.store.SpanStore#rolloutTable}) in SQL: one aggregate over the spans
 * (grouped by rollout, reading only the small columns, never a body) joined with the registered rollouts,
 * filtered, ordered by last activity (as {@link RolloutSql} defines it) and cut to the page, with the total from
 * a window count; then, for the page's rows only, their models, attempts and last reward through the
 * {@code (rollout_id, sequence_id)} index.
 */
final class RolloutTableSql {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** {@code %1$s}: the model-hit column; {@code %2$s}/{@code %3$s}: id filters on spans / registered rollouts. */
  private static final String ROWS = """
      WITH agg AS (
        SELECT rollout_id,
               SUM(kind = 'llm') AS calls,
               SUM(kind = 'reward') AS rewards,
               SUM(status = 'error') AS errors,
               COALESCE(SUM(input_tokens), 0) AS input_tokens,
               COALESCE(SUM(output_tokens), 0) AS output_tokens,
               COALESCE(SUM(CASE WHEN kind = 'llm' THEN cache_read_input_tokens END), 0) AS cache_read,
               SUM(cost_usd) AS cost_usd,
               MIN(start_time_unix_nano) AS first_start,
               MAX(end_time_unix_nano) AS last_end,
               MAX(MAX(end_time_unix_nano), MAX(start_time_unix_nano)) AS activity,
               %1$s AS model_hits
        FROM spans WHERE rollout_id IS NOT NULL%2$s GROUP BY rollout_id),
      ids AS (SELECT rollout_id FROM agg UNION SELECT rollout_id FROM rollouts WHERE 1%3$s),
      rows AS (
        SELECT ids.rollout_id AS rollout_id, COALESCE(agg.calls, 0) AS calls, COALESCE(agg.rewards, 0) AS rewards,
               COALESCE(agg.errors, 0) AS errors, COALESCE(agg.input_tokens, 0) AS input_tokens,
               COALESCE(agg.output_tokens, 0) AS output_tokens, COALESCE(agg.cache_read, 0) AS cache_read,
               agg.cost_usd AS cost_usd, COALESCE(agg.first_start, 0) AS first_start,
               COALESCE(agg.last_end, 0) AS last_end, COALESCE(agg.model_hits, 0) AS model_hits,
               r.metadata AS metadata,
               MAX(COALESCE(agg.activity, r.created_unix_nano), COALESCE(r.created_unix_nano, agg.activity))
                   AS last_activity
        FROM ids LEFT JOIN agg ON agg.rollout_id = ids.rollout_id
                 LEFT JOIN rollouts r ON r.rollout_id = ids.rollout_id)
      SELECT rollout_id, calls, rewards, errors, input_tokens, output_tokens, cache_read, cost_usd, first_start,
             last_end, metadata, last_activity, COUNT(*) OVER () AS total
      FROM rows WHERE 1%4$s
      ORDER BY last_activity DESC, rollout_id LIMIT ? OFFSET ?
      """;

  private RolloutTableSql() {}

  static RolloutTablePage page(Connection c, RolloutTableQuery q) throws SQLException, JsonProcessingException {
    List<Object> args = new ArrayList<>();
    String modelHits = "0";
    if (q.model() != null) {
      modelHits = "SUM(kind = 'llm' AND frontend_model = ?)";
      args.add(q.model());
    }
    String idFilter = q.idContains() == null ? "" : " AND instr(rollout_id, ?) > 0";
    if (q.idContains() != null) {
      args.add(q.idContains());
      args.add(q.idContains());
    }
    StringBuilder where = new StringBuilder();
    if (q.model() != null) {
      where.append(" AND model_hits > 0");
    }
    if ("ok".equals(q.status())) {
      where.append(" AND errors = 0");
    } else if ("error".equals(q.status())) {
      where.append(" AND errors > 0");
    }
    if (q.tagKey() != null) {
      where.append(" AND EXISTS (SELECT 1 FROM json_each(metadata) AS t"
          + " WHERE t.key = ? AND t.type = 'text' AND t.value = ?)");
      args.add(q.tagKey());
      args.add(q.tagValue());
    }
    if (q.sinceUnixNano() != null) {
      where.append(" AND last_activity >= ?");
      args.add(q.sinceUnixNano());
    }
    if (q.untilUnixNano() != null) {
      where.append(" AND last_activity < ?");
      args.add(q.untilUnixNano());
    }
    args.add(q.limit());
    args.add(q.offset());
    String sql = ROWS.formatted(modelHits, idFilter, idFilter, where);
    List<Partial> partials = new ArrayList<>();
    long total = -1;
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < args.size(); i++) {
        ps.setObject(i + 1, args.get(i));
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          double cost = rs.getDouble(8);
          Double costUsd = rs.wasNull() ? null : cost;
          partials.add(new Partial(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5),
              rs.getLong(6), rs.getLong(7), costUsd, rs.getLong(9), rs.getLong(10), rs.getString(11),
              rs.getLong(12)));
          total = rs.getLong(13);
        }
      }
    }
    if (total < 0) {
      // an empty page: past the end, or nothing matches
      total = q.offset() == 0 ? 0 : page(c, new RolloutTableQuery(q.idContains(), q.model(), q.status(),
          q.tagKey(), q.tagValue(), q.sinceUnixNano(), q.untilUnixNano(), 0, 1)).total();
    }
    List<RolloutRow> rows = new ArrayList<>(partials.size());
    for (Partial p : partials) {
      rows.add(p.complete(c));
    }
    return RolloutTablePage.of(rows, total, q);
  }

  private static List<String> models(Connection c, String rolloutId) throws SQLException {
    List<String> models = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT DISTINCT frontend_model FROM spans"
        + " WHERE rollout_id = ? AND kind = 'llm' AND frontend_model IS NOT NULL ORDER BY 1")) {
      ps.setString(1, rolloutId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          models.add(rs.getString(1));
        }
      }
    }
    return models;
  }

  /** The value of the rollout's last reward span, by sequence id; attributes are stored as UTF-8 JSON bytes. */
  private static Double lastReward(Connection c, String rolloutId) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT json_extract(CAST(attributes AS TEXT),"
        + " '$.\"tracegate.reward.value\"') FROM spans WHERE rollout_id = ? AND kind = 'reward'"
        + " ORDER BY sequence_id DESC LIMIT 1")) {
      ps.setString(1, rolloutId);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return null;
        }
        double v = rs.getDouble(1);
        return rs.wasNull() ? null : v;
      }
    }
  }

  /** A row of the aggregate, before the per-rollout look-ups. */
  private record Partial(String rolloutId, long calls, long rewards, long errors, long input, long output,
      long cacheRead, Double costUsd, long firstStart, long lastEnd, String metadata, long lastActivity) {

    RolloutRow complete(Connection c) throws SQLException, JsonProcessingException {
      return new RolloutRow(rolloutId, RolloutSql.attempts(c, rolloutId).size(), calls, rewards, errors,
          errors > 0 ? "error" : "ok", input, output, cacheRead, RolloutRow.hitRate(cacheRead, input), costUsd,
          lastReward(c, rolloutId), firstStart == 0 ? 0 : (lastEnd - firstStart) / 1e6, firstStart, lastActivity,
          models(c, rolloutId), metadata == null ? null : JSON.readTree(metadata));
    }
  }
}
