package io.tracegate.dataset;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * Result of one export.
 *
 * @param triplets rows written
 * @param skipped reason to count: the adapter's skip reasons (see {@link TripletAdapter}) plus
 *     {@code filtered_since}, {@code filtered_model}, {@code filtered_min_reward} for triplets the filter left out
 * @param rollouts rollouts read
 */
public record ExportSummary(long triplets, Map<String, Long> skipped, long rollouts) {
  public ExportSummary {
    skipped = Collections.unmodifiableMap(new TreeMap<>(skipped));
  }
}
