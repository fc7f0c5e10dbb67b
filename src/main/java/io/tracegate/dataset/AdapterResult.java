package io.tracegate.dataset;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Triplets of one rollout attempt, in turn order, and how many spans were left out and why
 * (reason to count; see docs/dataset.md for the reasons), and the attempt's retokenization drift: how many calls
 * continue an earlier call ({@code continuing}) and those that do so by messages only ({@code drift}).
 */
public record AdapterResult(List<Triplet> triplets, Map<String, Long> skipped, long continuing,
    List<DriftCase> drift) {
  public AdapterResult {
    triplets = List.copyOf(triplets);
    skipped = Collections.unmodifiableMap(new TreeMap<>(skipped));
    drift = List.copyOf(drift);
  }

  public AdapterResult(List<Triplet> triplets, Map<String, Long> skipped) {
    this(triplets, skipped, 0, List.of());
  }
}
