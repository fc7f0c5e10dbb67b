package io.tracegate.store;

/**
 * Filters for {@link SpanStore#query}. Null fields do not filter. {@code sinceUnixNano} keeps spans that
 * started at or after it. {@code cursor} is the opaque {@link SpanPage#nextCursor()} of the previous page.
 */
public record SpanQuery(
    String rolloutId, String attemptId, String kind, Long sinceUnixNano, int limit, String cursor) {

  public static final int DEFAULT_LIMIT = 100;
  public static final int MAX_LIMIT = 1000;

  public SpanQuery {
    if (limit <= 0) {
      limit = DEFAULT_LIMIT;
    }
    limit = Math.min(limit, MAX_LIMIT);
  }

  public static SpanQuery forRollout(String rolloutId) {
    return new SpanQuery(rolloutId, null, null, null, DEFAULT_LIMIT, null);
  }
}
