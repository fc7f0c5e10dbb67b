package io.tracegate.config;

import java.time.Duration;

/**
 * Passive health of a model's backends ({@code health}): after {@code failures} retryable failures in a row a
 * backend is skipped for {@code cooldown}, then one probe request decides whether it is healthy again.
 */
public record HealthConfig(int failures, Duration cooldown) {
  public static final HealthConfig DEFAULT = new HealthConfig(3, Duration.ofSeconds(30));
}
