package io.tracegate.upstream.routing;

import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code round_robin}: nginx's smooth weighted round robin. Its sequence depends only on the weights, so it is
 * computed once (one cycle of sum(weights) / gcd entries, e.g. weights 5,1,1 give a a b a c a a) and walked
 * with one atomic counter shared by every event loop: no lock, no per-request state. A skipped backend's
 * turn goes to the next entry of the cycle.
 */
final class SmoothWeightedRoundRobin implements Strategy {
  private final int[] cycle;
  private final AtomicLong position = new AtomicLong();

  SmoothWeightedRoundRobin(RouteBackend[] backends) {
    this.cycle = cycle(backends);
  }

  static int[] cycle(RouteBackend[] backends) {
    int n = backends.length;
    int[] weight = new int[n];
    int g = 0;
    for (int i = 0; i < n; i++) {
      weight[i] = backends[i].weight();
      g = gcd(g, weight[i]);
    }
    int total = 0;
    for (int i = 0; i < n; i++) {
      weight[i] /= g;
      total += weight[i];
    }
    int[] out = new int[total];
    int[] current = new int[n];
    for (int k = 0; k < total; k++) {
      int best = 0;
      for (int i = 0; i < n; i++) {
        current[i] += weight[i];
        if (current[i] > current[best]) {
          best = i;
        }
      }
      current[best] -= total;
      out[k] = best;
    }
    return out;
  }

  private static int gcd(int a, int b) {
    return b == 0 ? a : gcd(b, a % b);
  }

  @Override
  public int pick(RouteBackend[] backends, long key, boolean keyed, long skip) {
    int len = cycle.length;
    int start = (int) Long.remainderUnsigned(position.getAndIncrement(), len);
    for (int k = 0; k < len; k++) {
      int i = cycle[(start + k) % len];
      if ((skip & (1L << i)) == 0) {
        return i;
      }
    }
    return -1;
  }
}
