package io.tracegate.upstream.routing;

import io.tracegate.config.ModelConfig;
import io.tracegate.config.RetryConfig;
import io.tracegate.config.RoutingStrategy;
import java.util.List;

/**
 * The gateway-wide routing state of one model: its backends' health and load, and its strategy. Picks the
 * backend of each attempt of a request; thread-safe, shared by every event loop.
 */
public final class Route {
  private final ModelConfig model;
  private final RouteBackend[] backends;
  private final Strategy strategy;
  private final long all;

  Route(ModelConfig model) {
    this.model = model;
    int n = model.backends().size();
    this.backends = new RouteBackend[n];
    for (int i = 0; i < n; i++) {
      backends[i] = new RouteBackend(i, model.backends().get(i), model.health());
    }
    this.all = n == 64 ? -1L : (1L << n) - 1;
    this.strategy = switch (model.strategy()) {
      case FALLBACK -> new FallbackOrder();
      case ROUND_ROBIN -> new SmoothWeightedRoundRobin(backends);
      case LEAST_BUSY -> new LeastBusy();
      case STICKY -> new Rendezvous(backends);
    };
  }

  public ModelConfig model() {
    return model;
  }

  public RetryConfig retries() {
    return model.retries();
  }

  public boolean sticky() {
    return model.strategy() == RoutingStrategy.STICKY;
  }

  public RouteBackend backend(int index) {
    return backends[index];
  }

  public List<RouteBackend> backends() {
    return List.of(backends);
  }

  /**
   * Picks the backend for a request's next attempt: the strategy's choice among the backends it has not tried
   * yet (all of them again once each was tried), skipping those cooling down; when every candidate is cooling
   * down it fails open and takes the strategy's choice anyway. Never one of {@code barred}.
   *
   * @param tried backends this request already tried (bit i = backend i)
   * @param barred backends this request must not try again (they asked for a longer wait than max_backoff,
   *     or had no free connection)
   * @return {@link #choice} encoded index and probe flag, or -1 when every backend is barred
   */
  public int pick(long key, boolean keyed, long tried, long barred) {
    long skip = tried | barred;
    if ((skip & all) == all) {
      skip = barred; // each one was tried: go round again
      if ((skip & all) == all) {
        return -1;
      }
    }
    long refused = 0;
    for (int k = 0; k < backends.length; k++) {
      int i = strategy.pick(backends, key, keyed, skip | refused);
      if (i < 0) {
        break;
      }
      switch (backends[i].health().tryAdmit()) {
        case ADMITTED:
          return choice(i, false);
        case PROBE:
          return choice(i, true);
        default:
          refused |= 1L << i;
      }
    }
    return choice(strategy.pick(backends, key, keyed, skip), false); // all out: fail open
  }

  private static int choice(int index, boolean probe) {
    return index < 0 ? -1 : index << 1 | (probe ? 1 : 0);
  }

  /** The backend index of a {@link #pick} result. */
  public static int indexOf(int choice) {
    return choice >> 1;
  }

  /** Whether a {@link #pick} result is the probe of a backend whose cooldown is over. */
  public static boolean isProbe(int choice) {
    return (choice & 1) != 0;
  }

  /** Backends of this model cooling down or being probed now. */
  public int outOfService() {
    int out = 0;
    for (RouteBackend b : backends) {
      if (b.health().state() != BackendHealth.State.HEALTHY) {
        out++;
      }
    }
    return out;
  }
}
