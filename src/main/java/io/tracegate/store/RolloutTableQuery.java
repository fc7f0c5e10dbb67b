package io.tracegate.store;

/**
 * Filters and page of {@link SpanStore#rolloutTable}: the rollouts list of the trace UI. Null fields do not filter.
 *
 * @param idContains keeps rollouts whose id contains this text (case-sensitive)
 * @param model keeps rollouts with at least one call that asked for this model (the frontend name)
 * @param status {@code ok} (no span failed) or {@code error} (at least one span has status error)
 * @param tagKey with {@code tagValue}: keeps rollouts whose metadata has this key with this (string) value
 * @param sinceUnixNano keeps rollouts last active at or after it
 * @param untilUnixNano keeps rollouts last active before it
 * @param offset rows to skip (the page's position in the newest-first order)
 * @param limit rows on the page, 1 to {@link #MAX_LIMIT}
 */
public record RolloutTableQuery(String idContains, String model, String status, String tagKey, String tagValue,
    Long sinceUnixNano, Long untilUnixNano, int offset, int limit) {
  public static final int DEFAULT_LIMIT = 50;
  public static final int MAX_LIMIT = 500;

  public RolloutTableQuery {
    if (status != null && !status.equals("ok") && !status.equals("error")) {
      throw new IllegalArgumentException("'status' must be ok or error, got '" + status + "'");
    }
    if ((tagKey == null) != (tagValue == null)) {
      throw new IllegalArgumentException("a tag filter needs a key and a value (tag=KEY=VALUE)");
    }
    if (offset < 0) {
      throw new IllegalArgumentException("'offset' must not be negative, got " + offset);
    }
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException("'limit' must be 1 to " + MAX_LIMIT + ", got " + limit);
    }
  }
}
