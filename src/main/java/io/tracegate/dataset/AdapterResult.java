package io.tracegate.dataset;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Triplets of one rollout attempt, in turn order, and how many spans were left out and why
 * (reason to count; see docs/dataset.md for the reasons).
 */
public record AdapterResult(List<Triplet> triplets, Map<String, Long> skipped) {
  public AdapterResult {
    triplets = List.copyOf(triplets);
    skipped = Collections.unmodifiableMap(new TreeMap<>(skipped));
  }
}
