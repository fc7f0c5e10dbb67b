package io.tracegate.store;

import io.tracegate.trace.Span;
import java.util.Locale;

/**
 * Filters for {@link SpanStore#query}. Null fields do not filter. {@code sinceUnixNano} keeps spans that
 * started at or after it. {@code order} is the direction of the (start_time_unix_nano, span_id) order:
 * oldest first ({@link Order#ASC}, the default) or newest first. {@code cursor} is the opaque
 * {@link SpanPage#nextCursor()} of the previous page; it carries its order, so it continues only a query in the
 * same order. {@code maxBytes} bounds a page by size as well as by count: see {@link SpanStore#query}
 * ({@link #UNBOUNDED} by default; the query API and the CLI set a budget).
 *
 * @throws IllegalArgumentException when the cursor is malformed or was made for the other order
 */
public record SpanQuery(
    String rolloutId, String attemptId, String kind, Long sinceUnixNano, int limit, String cursor, Order order,
    long maxBytes) {

  public static final int DEFAULT_LIMIT = 100;
  public static final int MAX_LIMIT = 1000;
  /** No byte budget: a page is bounded by {@link #limit()} only. */
  public static final long UNBOUNDED = Long.MAX_VALUE;

  /** Direction of the (start_time_unix_nano, span_id) order. */
  public enum Order {
    ASC, DESC;

    /** "asc" or "desc", as in {@code GET /api/spans?order=}. */
    public String id() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** @throws IllegalArgumentException naming the accepted values */
    public static Order parse(String text) {
      for (Order o : values()) {
        if (o.id().equalsIgnoreCase(text.trim())) {
          return o;
        }
      }
      throw new IllegalArgumentException("'order' must be asc (oldest first) or desc (newest first), got '"
          + text + "'");
    }
  }

  public SpanQuery {
    if (limit <= 0) {
      limit = DEFAULT_LIMIT;
    }
    limit = Math.min(limit, MAX_LIMIT);
    if (order == null) {
      order = Order.ASC;
    }
    if (maxBytes <= 0) {
      maxBytes = UNBOUNDED;
    }
    if (cursor != null) {
      SpanCursor.decode(cursor).requireOrder(order);
    }
  }

  /** Without a byte budget. */
  public SpanQuery(
      String rolloutId, String attemptId, String kind, Long sinceUnixNano, int limit, String cursor, Order order) {
    this(rolloutId, attemptId, kind, sinceUnixNano, limit, cursor, order, UNBOUNDED);
  }

  /** Oldest first. */
  public SpanQuery(String rolloutId, String attemptId, String kind, Long sinceUnixNano, int limit, String cursor) {
    this(rolloutId, attemptId, kind, sinceUnixNano, limit, cursor, Order.ASC);
  }

  public static SpanQuery forRollout(String rolloutId) {
    return new SpanQuery(rolloutId, null, null, null, DEFAULT_LIMIT, null);
  }

  /** The same query with a byte budget per page ({@code <= 0}: none). */
  public SpanQuery withMaxBytes(long budget) {
    return new SpanQuery(rolloutId, attemptId, kind, sinceUnixNano, limit, cursor, order, budget);
  }

  /** Where this page starts: the decoded {@link #cursor()}, null for the first page. */
  public SpanCursor position() {
    return cursor == null ? null : SpanCursor.decode(cursor);
  }

  /** The cursor of the page that follows one ending with {@code last}. */
  public String cursorAfter(Span last) {
    return new SpanCursor(last.startTimeUnixNano(), last.spanId(), order).encode();
  }
}
