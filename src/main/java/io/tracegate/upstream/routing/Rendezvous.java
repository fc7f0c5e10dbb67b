package io.tracegate.upstream.routing;

import java.util.SplittableRandom;

/**
 * {@code sticky}: weighted rendezvous (highest random weight) hashing. Each backend scores
 * {@code weight / -ln(u)}, u uniform in (0, 1) from the key and the backend's name; the highest score wins.
 * A key keeps its backend as long as that backend is up, and when it is skipped (cooling down, or already
 * tried by this request) the key goes to its next-ranked backend: only the keys of a backend that is out move,
 * and retries walk down the key's ranking. Requests without a key are spread by smooth weighted round robin.
 */
final class Rendezvous implements Strategy {
  private final SmoothWeightedRoundRobin unkeyed;

  Rendezvous(RouteBackend[] backends) {
    this.unkeyed = new SmoothWeightedRoundRobin(backends);
  }

  @Override
  public int pick(RouteBackend[] backends, long key, boolean keyed, long skip) {
    if (!keyed) {
      return unkeyed.pick(backends, key, false, skip);
    }
    int best = -1;
    double bestScore = -1;
    for (int i = 0; i < backends.length; i++) {
      if ((skip & (1L << i)) != 0) {
        continue;
      }
      double s = score(key, backends[i]);
      if (s > bestScore) {
        best = i;
        bestScore = s;
      }
    }
    return best;
  }

  static double score(long key, RouteBackend backend) {
    // SplittableRandom's first value is the SplitMix64 finaliser of its seed: a well-mixed 64-bit hash of the pair
    long h = new SplittableRandom(key ^ backend.salt()).nextLong();
    double u = ((h >>> 11) + 0.5) * 0x1.0p-53; // in (0, 1), never 0
    return backend.weight() / -Math.log(u);
  }
}
