package io.tracegate.trace;

import io.tracegate.config.ModelPrice;
import io.tracegate.config.PriceTable;
import java.util.Optional;

/**
 * Prices a call from its normalised usage. Returns null (unknown) when the model has no price or the
 * usage is unknown; never a made-up zero. Cache writes whose 5m/1h split is unknown are priced as 5m writes,
 * the default TTL of Anthropic's prompt cache.
 */
public final class CostCalculator {
  private static final double PER_MILLION = 1_000_000d;
  private final PriceTable prices;

  public CostCalculator(PriceTable prices) {
    this.prices = prices;
  }

  /** Price of the first of {@code models} (backend model, then frontend model) that has one. */
  public Double cost(Usage usage, String... models) {
    if (usage == null || (usage.inputTokens() == null && usage.outputTokens() == null)) {
      return null;
    }
    for (String model : models) {
      if (model == null) {
        continue;
      }
      Optional<ModelPrice> price = prices.find(model);
      if (price.isPresent()) {
        return cost(usage, price.get());
      }
    }
    return null;
  }

  static double cost(Usage u, ModelPrice p) {
    long read = orZero(u.cacheReadInputTokens());
    long write = orZero(u.cacheCreationInputTokens());
    long write1h = orZero(u.cacheCreation1hInputTokens());
    long write5m = Math.max(0, write - write1h);
    double usd =
        u.uncachedInputTokens() * p.inputPerMTok()
            + read * p.effectiveCacheReadPerMTok()
            + write5m * p.effectiveCacheWrite5mPerMTok()
            + write1h * p.effectiveCacheWrite1hPerMTok()
            + orZero(u.outputTokens()) * p.outputPerMTok();
    return usd / PER_MILLION;
  }

  private static long orZero(Long v) {
    return v == null ? 0 : v;
  }
}
