package io.tracegate.store;

/** Filters for {@link SpanStore#rollouts}: rollouts active at or after {@code sinceUnixNano}, at most {@code limit}. */
public record RolloutQuery(Long sinceUnixNano, int limit) {
  public static final int DEFAULT_LIMIT = 100;

  public RolloutQuery {
    if (limit <= 0) {
      limit = DEFAULT_LIMIT;
    }
  }
}
