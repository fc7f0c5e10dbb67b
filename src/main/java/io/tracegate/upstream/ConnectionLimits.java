package io.tracegate.upstream;

import io.tracegate.config.BackendConfig;
import io.tracegate.config.ModelConfig;
import io.tracegate.config.Provider;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@link ConnectionLimit} of every HTTP backend, made once per gateway and shared by all its event
 * loops, so that {@code max_connections} counts a backend's connections across the whole process.
 */
public final class ConnectionLimits {
  private final Map<BackendConfig, ConnectionLimit> limits = new IdentityHashMap<>();
  private final int total;

  public ConnectionLimits(List<ModelConfig> models) {
    int sum = 0;
    for (ModelConfig model : models) {
      for (BackendConfig b : model.backends()) {
        if (b.provider() != Provider.MOCK) {
          limits.put(b, new ConnectionLimit(HttpBackend.nameOf(b), b.maxConnections(), b.poolWaitTimeout().toMillis()));
          sum = (int) Math.min(Integer.MAX_VALUE, (long) sum + b.maxConnections());
        }
      }
    }
    this.total = sum;
  }

  public ConnectionLimit of(BackendConfig backend) {
    return limits.get(backend);
  }

  /** Every HTTP backend's limit (for metrics). */
  public Collection<ConnectionLimit> all() {
    return limits.values();
  }

  /**
   * What one event loop's HTTP client may open: every permit of every backend could be taken on one loop, so
   * its pool must never be what makes a call wait (two backends may share an origin, hence the sum).
   */
  public int clientPoolSize() {
    return Math.max(1, total);
  }
}
