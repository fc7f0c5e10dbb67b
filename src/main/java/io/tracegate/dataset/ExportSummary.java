package io.tracegate.dataset;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * Result of one export.
 *
 * @param triplets rows written
 * @param skipped reason to count: the adapter's skip reasons (see {@link TripletAdapter}) plus the
 *     {@code filtered_*} reasons for triplets the filter left out
 * @param rollouts rollouts read
 * @param continuing calls of the exported attempts that continue an earlier call of their attempt (by tokens, or
 *     by messages only)
 * @param drifted those among them that continue by messages only: retokenization drift ({@link DriftCase})
 */
public record ExportSummary(long triplets, Map<String, Long> skipped, long rollouts, long continuing,
    long drifted) {
  public ExportSummary {
    skipped = Collections.unmodifiableMap(new TreeMap<>(skipped));
  }

  public ExportSummary(long triplets, Map<String, Long> skipped, long rollouts) {
    this(triplets, skipped, rollouts, 0, 0);
  }

  /** The drift summary line: {@code drift: 2 of 9 continuing call(s) re-tokenized their history (cannot merge)}. */
  public String driftLine() {
    return "drift: " + drifted + " of " + continuing + " continuing call(s) did not extend the tokens of the call"
        + " they continue (history re-tokenized; cannot merge)";
  }
}
