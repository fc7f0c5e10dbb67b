package io.tracegate.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Prices by model name, immutable. Keys are exact names or globs ({@code *}, {@code ?}). {@link #find}
 * prefers an exact key, then the first glob in file order that matches, so list specific globs
 * ({@code gpt-4o-mini*}) before broad ones ({@code gpt-4o*}). A model without an entry has no price: its
 * cost is unknown (null), never zero.
 */
public final class PriceTable {
  private static final PriceTable EMPTY = new PriceTable(Map.of());

  private final Map<String, ModelPrice> exact;
  private final List<Map.Entry<String, ModelPrice>> globs;
  private final Map<String, ModelPrice> all;

  private PriceTable(Map<String, ModelPrice> prices) {
    Map<String, ModelPrice> exactNames = new LinkedHashMap<>();
    List<Map.Entry<String, ModelPrice>> globList = new ArrayList<>();
    prices.forEach(
        (name, price) -> {
          if (Glob.isGlob(name)) {
            globList.add(Map.entry(name, price));
          } else {
            exactNames.put(name, price);
          }
        });
    this.exact = Map.copyOf(exactNames);
    this.globs = List.copyOf(globList);
    this.all = Collections.unmodifiableMap(new LinkedHashMap<>(prices));
  }

  /** A table of {@code prices}, iterated in the map's order (use a LinkedHashMap for file order). */
  public static PriceTable of(Map<String, ModelPrice> prices) {
    return new PriceTable(prices);
  }

  /** No prices at all: every cost is unknown. */
  public static PriceTable empty() {
    return EMPTY;
  }

  /** The price of {@code modelName}: exact key first, then the first matching glob in file order. */
  public Optional<ModelPrice> find(String modelName) {
    if (modelName == null) {
      return Optional.empty();
    }
    ModelPrice price = exact.get(modelName);
    if (price != null) {
      return Optional.of(price);
    }
    for (Map.Entry<String, ModelPrice> glob : globs) {
      if (Glob.matches(glob.getKey(), modelName)) {
        return Optional.of(glob.getValue());
      }
    }
    return Optional.empty();
  }

  /** Every entry in file order (unmodifiable). */
  public Map<String, ModelPrice> entries() {
    return all;
  }

  public int size() {
    return all.size();
  }

  public boolean isEmpty() {
    return all.isEmpty();
  }

  @Override
  public String toString() {
    return "PriceTable" + all.keySet();
  }
}
