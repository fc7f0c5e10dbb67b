package io.tracegate.store.jdbc;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.tracegate.store.SpanCursor;
import io.tracegate.store.SpanPage;
import io.tracegate.store.SpanQuery;
import io.tracegate.trace.Span;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The span reads of the SQL stores, on a connection the caller holds (in a read transaction when several
 * statements must see one snapshot): find by id, paged queries, counts, the highest sequence id. Prompts stored
 * as prefix references come back whole ({@link TokenResolver}); bodies with their parts put back.
 */
public final class SpanReads {

  /** Rows the driver fetches at a time where it would otherwise read a whole result (PostgreSQL). */
  static final int FETCH_ROWS = 16;
  /** Most ids bound in one IN list (SQLite's default limit is far above). */
  private static final int IN_CHUNK = 400;

  private final SpanRows rows = new SpanRows();

  public Optional<Span> find(Connection c, String spanId) throws SQLException, JsonProcessingException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT " + SpanColumns.SELECT_COLUMNS + " FROM spans WHERE span_id = ?");
        PartReader parts = new PartReader(c)) {
      ps.setString(1, spanId);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        SpanRows.StoredSpan row = rows.read(rs, parts);
        return Optional.of(new TokenResolver(c).complete(List.of(row)).get(0));
      }
    }
  }

  public long count(Connection c, SpanQuery query) throws SQLException {
    List<String> where = new ArrayList<>();
    List<Object> args = new ArrayList<>();
    filters(query, where, args);
    String sql = "SELECT COUNT(*) FROM spans" + (where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where));
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      bind(ps, args);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getLong(1) : 0L;
      }
    }
  }

  /** One page of {@code query}; reading stops once the page is full (limit or byte budget). */
  public SpanPage query(Connection c, SpanQuery query) throws SQLException, JsonProcessingException {
    SpanCursor cursor = query.position();
    boolean desc = query.order() == SpanQuery.Order.DESC;
    List<String> where = new ArrayList<>();
    List<Object> args = new ArrayList<>();
    filters(query, where, args);
    if (cursor != null) {
      String after = desc ? " < ?" : " > ?";
      where.add("(start_time_unix_nano" + after + " OR (start_time_unix_nano = ? AND span_id" + after + "))");
      args.add(cursor.startTimeUnixNano());
      args.add(cursor.startTimeUnixNano());
      args.add(cursor.spanId());
    }
    args.add(query.limit() + 1);
    String sql = "SELECT " + SpanColumns.SELECT_COLUMNS + " FROM spans"
        + (where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where))
        + (desc ? " ORDER BY start_time_unix_nano DESC, span_id DESC" : " ORDER BY start_time_unix_nano, span_id")
        + " LIMIT ?";
    boolean more = false;
    List<SpanRows.StoredSpan> read = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(sql); PartReader parts = new PartReader(c)) {
      bind(ps, args);
      ps.setFetchSize(FETCH_ROWS);
      long bytes = 0;
      try (ResultSet rs = ps.executeQuery()) {
        // limit + 1 rows are selected: the extra one only says whether a next page exists
        while (rs.next()) {
          if (read.size() == query.limit() || bytes >= query.maxBytes()) {
            more = true;
            break;
          }
          SpanRows.StoredSpan row = rows.read(rs, parts);
          read.add(row);
          bytes += row.size();
        }
      }
    }
    List<Span> spans = new TokenResolver(c).complete(read);
    return new SpanPage(spans, more ? query.cursorAfter(spans.get(spans.size() - 1)) : null);
  }

  /** Which of the ids are stored. */
  public Set<String> storedIds(Connection c, Collection<String> spanIds) throws SQLException {
    Set<String> stored = new HashSet<>();
    List<String> ids = List.copyOf(spanIds);
    for (int from = 0; from < ids.size(); from += IN_CHUNK) {
      List<String> chunk = ids.subList(from, Math.min(ids.size(), from + IN_CHUNK));
      String marks = String.join(", ", Collections.nCopies(chunk.size(), "?"));
      try (PreparedStatement ps = c.prepareStatement("SELECT span_id FROM spans WHERE span_id IN (" + marks + ")")) {
        for (int i = 0; i < chunk.size(); i++) {
          ps.setString(i + 1, chunk.get(i));
        }
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            stored.add(rs.getString(1));
          }
        }
      }
    }
    return stored;
  }

  public long maxSequenceId(Connection c, String rolloutId) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT COALESCE(MAX(sequence_id), 0) FROM spans WHERE rollout_id = ?")) {
      ps.setString(1, rolloutId);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private static void filters(SpanQuery query, List<String> where, List<Object> args) {
    filter(where, args, "rollout_id = ?", query.rolloutId());
    filter(where, args, "attempt_id = ?", query.attemptId());
    filter(where, args, "kind = ?", query.kind());
    filter(where, args, "start_time_unix_nano >= ?", query.sinceUnixNano());
  }

  private static void filter(List<String> where, List<Object> args, String clause, Object value) {
    if (value != null) {
      where.add(clause);
      args.add(value);
    }
  }

  private static void bind(PreparedStatement ps, List<Object> args) throws SQLException {
    for (int i = 0; i < args.size(); i++) {
      ps.setObject(i + 1, args.get(i));
    }
  }
}
