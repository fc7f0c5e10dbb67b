package io.tracegate.upstream.routing;

/** {@code fallback}: config order, the first one not skipped. */
final class FallbackOrder implements Strategy {
  @Override
  public int pick(RouteBackend[] backends, long key, boolean keyed, long skip) {
    for (int i = 0; i < backends.length; i++) {
      if ((skip & (1L << i)) == 0) {
        return i;
      }
    }
    return -1;
  }
}
