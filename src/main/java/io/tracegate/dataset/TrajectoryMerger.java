package io.tracegate.dataset;

import java.util.ArrayList;
import java.util.List;

/**
 * Consecutive merge (Agent Lightning 1.0's, used with {@code --semantics agl-v1}): a turn extends the current
 * sample when its prompt ids start with the previous turn's prompt + response; otherwise it starts a new sample.
 * Unlike {@link BranchMerger} an interleaved second conversation cuts the first into pieces. Each sample is its
 * own branch here (branch = turn).
 */
final class TrajectoryMerger {

  private TrajectoryMerger() {}

  /** @param turns one attempt's triplets in turn order (each with a null loss mask) */
  static List<Triplet> merge(List<Triplet> turns) {
    List<Triplet> samples = new ArrayList<>();
    MergedSample current = null;
    for (Triplet turn : turns) {
      if (current != null && current.isExtendedBy(turn)) {
        current.append(turn);
      } else {
        if (current != null) {
          samples.add(current.build(samples.size(), samples.size()));
        }
        current = new MergedSample(turn);
      }
    }
    if (current != null) {
      samples.add(current.build(samples.size(), samples.size()));
    }
    return samples;
  }
}
