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
    return Glob.isGlob(name);
  }

  /** Whether a client's model name is served by this entry (exact, or matching the glob). */
  public boolean matches(String frontendModel) {
    return isGlob() ? Glob.matches(name, frontendModel) : name.equals(frontendModel);
  }
}
