package io.tracegate.upstream.routing;

/** {@code least_busy}: fewest requests in flight (whole gateway); ties go to the higher weight, then config order. */
final class LeastBusy implements Strategy {
  @Override
  public int pick(RouteBackend[] backends, long key, boolean keyed, long skip) {
    int best = -1;
    int bestLoad = Integer.MAX_VALUE;
    for (int i = 0; i < backends.length; i++) {
      if ((skip & (1L << i)) != 0) {
        continue;
      }
      int load = backends[i].inFlight();
      if (load < bestLoad || (load == bestLoad && backends[i].weight() > backends[best].weight())) {
        best = i;
        bestLoad = load;
      }
    }
    return best;
  }
}
