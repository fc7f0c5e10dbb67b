package io.tracegate.config;

import java.util.List;

/**
 * One frontend model name (exact, or a glob with {@code *} and {@code ?}) and the backends serving it,
 * in order of preference, with how requests are spread over them and retried.
 *
 * @param strategy how a backend is chosen for each attempt
 * @param retries how often and how patiently a failed request is tried again
 * @param health when a failing backend is skipped, and for how long
 */
public record ModelConfig(String name, List<BackendConfig> backends, RoutingStrategy strategy,
    RetryConfig retries, HealthConfig health) {
  /** Most backends one model may have (a request's tried backends fit in one {@code long}). */
  public static final int MAX_BACKENDS = 64;

  public ModelConfig {
    backends = List.copyOf(backends);
    strategy = strategy == null ? RoutingStrategy.FALLBACK : strategy;
    retries = retries == null ? RetryConfig.DEFAULT : retries;
    health = health == null ? HealthConfig.DEFAULT : health;
  }

  /** A model with the default routing: fallback, 2 retries, health 3 failures / 30 s. */
  public ModelConfig(String name, List<BackendConfig> backends) {
    this(name, backends, RoutingStrategy.FALLBACK, RetryConfig.DEFAULT, HealthConfig.DEFAULT);
  }

  /** This model with another strategy, retries and health. */
  public ModelConfig withRouting(RoutingStrategy s, RetryConfig r, HealthConfig h) {
    return new ModelConfig(name, backends, s, r, h);
  }

  public boolean isGlob() {
    return Glob.isGlob(name);
  }

  /** Whether a client's model name is served by this entry (exact, or matching the glob). */
  public boolean matches(String frontendModel) {
    return isGlob() ? Glob.matches(name, frontendModel) : name.equals(frontendModel);
  }
}
