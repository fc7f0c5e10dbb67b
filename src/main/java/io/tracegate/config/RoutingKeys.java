package io.tracegate.config;

import java.time.Duration;
import java.util.List;

/** Reads a model's routing keys ({@code strategy}, {@code retries}, {@code health}); see docs/config.md. */
final class RoutingKeys {
  private static final List<String> RETRY_KEYS = List.of("max", "backoff", "max_backoff");
  private static final List<String> HEALTH_KEYS = List.of("failures", "cooldown");
  /** Most consecutive failures a health threshold may ask for. */
  static final int MAX_FAILURES = 1000;

  private RoutingKeys() {}

  static RoutingStrategy strategy(YamlNode n) {
    return n.isAbsent() ? RoutingStrategy.FALLBACK : ConfigLoader.oneOf(n, RoutingStrategy.values(),
        RoutingStrategy::id);
  }

  static RetryConfig retries(YamlNode n) {
    if (n.isAbsent()) {
      return RetryConfig.DEFAULT;
    }
    n.mapping(RETRY_KEYS);
    RetryConfig d = RetryConfig.DEFAULT;
    int max = n.get("max").intIn(0, RetryConfig.MAX_RETRIES, d.max());
    Duration backoff = Units.duration(n.get("backoff"), d.backoff());
    Duration maxBackoff = Units.duration(n.get("max_backoff"), d.maxBackoff());
    if (maxBackoff.compareTo(backoff) < 0) {
      YamlNode at = n.get("max_backoff").isAbsent() ? n.get("backoff") : n.get("max_backoff");
      throw at.error("max_backoff (" + maxBackoff.toMillis() + "ms) must be at least backoff ("
          + backoff.toMillis() + "ms)");
    }
    return new RetryConfig(max, backoff, maxBackoff);
  }

  static HealthConfig health(YamlNode n) {
    if (n.isAbsent()) {
      return HealthConfig.DEFAULT;
    }
    n.mapping(HEALTH_KEYS);
    HealthConfig d = HealthConfig.DEFAULT;
    return new HealthConfig(n.get("failures").intIn(1, MAX_FAILURES, d.failures()),
        Units.duration(n.get("cooldown"), d.cooldown()));
  }

  static int weight(YamlNode n) {
    return n.intIn(1, BackendConfig.MAX_WEIGHT, 1);
  }

  /** A model has at most {@link ModelConfig#MAX_BACKENDS} backends. */
  static void backendCount(YamlNode backends, int count) {
    if (count > ModelConfig.MAX_BACKENDS) {
      throw backends.error("at most " + ModelConfig.MAX_BACKENDS + " backends per model, but there are " + count);
    }
  }
}
