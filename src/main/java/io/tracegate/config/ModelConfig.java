package io.tracegate.config;

import java.util.List;

/**
 * One frontend model name (exact, or a glob with {@code *} and {@code ?}) and the backends serving it,
 * in order of preference.
 */
public record ModelConfig(String name, List<BackendConfig> backends) {
  public ModelConfig {
    backends = List.copyOf(backends);
  }

  public boolean isGlob() {
    return name.indexOf('*') >= 0 || name.indexOf('?') >= 0;
  }
}
