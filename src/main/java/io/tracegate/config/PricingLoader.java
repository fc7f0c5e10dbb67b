package io.tracegate.config;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a pricing file ({@code conf/pricing.yaml}) into a {@link PriceTable}. Shape:
 *
 * <pre>
 * models:
 *   gpt-4o: { input: 2.50, output: 10.00, cache_read: 1.25 }
 *   claude-sonnet-4-5*: { input: 3.00, output: 15.00, cache_read: 0.30, cache_write_5m: 3.75 }
 * </pre>
 *
 * Prices are USD per million tokens; input and output are required, cache prices optional (see {@link
 * ModelPrice} for their fallbacks). Errors are {@link ConfigException}s naming file and key path.
 */
public final class PricingLoader {
  private static final List<String> TOP_KEYS = List.of("models");
  private static final List<String> PRICE_KEYS =
      List.of("input", "output", "cache_read", "cache_write_5m", "cache_write_1h");

  private PricingLoader() {}

  /** Loads {@code file}; an empty file or an empty {@code models} mapping gives an empty table. */
  public static PriceTable load(Path file) {
    YamlNode root = YamlNode.read(file);
    if (root.isAbsent()) {
      return PriceTable.empty();
    }
    YamlNode models = root.mapping(TOP_KEYS).get("models");
    if (models.isAbsent()) {
      return PriceTable.empty();
    }
    Map<String, ModelPrice> prices = new LinkedHashMap<>();
    models.entries().forEach((name, price) -> prices.put(name, price(price)));
    return PriceTable.of(prices);
  }

  /** The table of {@link GatewayConfig#pricingFile()}, or an empty table when none is configured. */
  public static PriceTable load(GatewayConfig config) {
    return config.pricingFile() == null ? PriceTable.empty() : load(config.pricingFile());
  }

  private static ModelPrice price(YamlNode n) {
    n.required().mapping(PRICE_KEYS);
    return new ModelPrice(
        usd(n.get("input").required()),
        usd(n.get("output").required()),
        optionalUsd(n.get("cache_read")),
        optionalUsd(n.get("cache_write_5m")),
        optionalUsd(n.get("cache_write_1h")));
  }

  private static Double optionalUsd(YamlNode n) {
    return n.isAbsent() ? null : usd(n);
  }

  private static double usd(YamlNode n) {
    if (!n.isNumber()) {
      throw n.error("expected a price in USD per million tokens (a number like 2.50) but was "
          + n.describe());
    }
    double v = n.doubleValue();
    if (!Double.isFinite(v) || v < 0) {
      throw n.error("expected a price >= 0 but was " + v);
    }
    return v;
  }
}
