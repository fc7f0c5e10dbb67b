package io.tracegate.config;

/** How a model spreads its requests over its backends ({@code strategy}); see docs/config.md, "Routing". */
public enum RoutingStrategy {
  /** The first healthy backend in config order; the next one on a retryable failure. */
  FALLBACK("fallback"),
  /** Smooth weighted round robin over the healthy backends. */
  ROUND_ROBIN("round_robin"),
  /** The healthy backend with the fewest requests in flight (whole gateway); ties go to the higher weight. */
  LEAST_BUSY("least_busy"),
  /** Rendezvous hashing of the rollout (or session) id, weighted: one rollout, one backend. */
  STICKY("sticky");

  private final String id;

  RoutingStrategy(String id) {
    this.id = id;
  }

  /** The name in the configuration file. */
  public String id() {
    return id;
  }
}
