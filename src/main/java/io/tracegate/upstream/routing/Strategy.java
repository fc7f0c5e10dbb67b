package io.tracegate.upstream.routing;

/**
 * Orders a model's backends for one attempt. Health is not its business: {@link Route} asks again, with the
 * refused backend skipped, when the preferred one is cooling down.
 */
interface Strategy {
  /**
   * The preferred backend among those not in {@code skip} (bit i = backend i), or -1 if all are skipped.
   *
   * @param key the request's sticky key hash (only {@code sticky} uses it)
   * @param keyed whether the request has a sticky key
   */
  int pick(RouteBackend[] backends, long key, boolean keyed, long skip);
}
