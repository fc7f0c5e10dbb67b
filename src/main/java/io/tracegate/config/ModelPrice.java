package io.tracegate.config;

/**
 * List price of one model in USD per million tokens. A null cache price means "not published": it falls back
 * to a multiple of the input price (the multipliers Anthropic uses), see the {@code effective*} methods.
 *
 * @param inputPerMTok uncached input tokens
 * @param outputPerMTok output tokens (reasoning tokens included)
 * @param cacheReadPerMTok cache hits; null: same as input
 * @param cacheWrite5mPerMTok cache writes with the default 5-minute TTL; null: 1.25 x input
 * @param cacheWrite1hPerMTok cache writes with the 1-hour TTL; null: 2 x input
 */
public record ModelPrice(
    double inputPerMTok,
    double outputPerMTok,
    Double cacheReadPerMTok,
    Double cacheWrite5mPerMTok,
    Double cacheWrite1hPerMTok) {

  public static final double CACHE_WRITE_5M_FACTOR = 1.25;
  public static final double CACHE_WRITE_1H_FACTOR = 2.0;

  public ModelPrice {
    check("input", inputPerMTok);
    check("output", outputPerMTok);
    if (cacheReadPerMTok != null) {
      check("cache_read", cacheReadPerMTok);
    }
    if (cacheWrite5mPerMTok != null) {
      check("cache_write_5m", cacheWrite5mPerMTok);
    }
    if (cacheWrite1hPerMTok != null) {
      check("cache_write_1h", cacheWrite1hPerMTok);
    }
  }

  /** Input and output prices only; cache prices fall back. */
  public static ModelPrice of(double inputPerMTok, double outputPerMTok) {
    return new ModelPrice(inputPerMTok, outputPerMTok, null, null, null);
  }

  private static void check(String name, double v) {
    if (!Double.isFinite(v) || v < 0) {
      throw new IllegalArgumentException(name + " price must be a finite number >= 0 but was " + v);
    }
  }

  /** Cache-hit price; falls back to the input price. */
  public double effectiveCacheReadPerMTok() {
    return cacheReadPerMTok != null ? cacheReadPerMTok : inputPerMTok;
  }

  /** 5-minute cache-write price; falls back to 1.25 x input. */
  public double effectiveCacheWrite5mPerMTok() {
    return cacheWrite5mPerMTok != null ? cacheWrite5mPerMTok : inputPerMTok * CACHE_WRITE_5M_FACTOR;
  }

  /** 1-hour cache-write price; falls back to 2 x input. */
  public double effectiveCacheWrite1hPerMTok() {
    return cacheWrite1hPerMTok != null ? cacheWrite1hPerMTok : inputPerMTok * CACHE_WRITE_1H_FACTOR;
  }
}
