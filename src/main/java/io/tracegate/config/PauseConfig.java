package io.tracegate.config;

import java.time.Duration;

/**
 * The {@code pause:} section: how the pause gate ({@code POST /api/pause}) treats new requests.
 *
 * @param holdTimeout longest a request waits while paused in {@code hold} mode; then it is answered 503 with
 *     {@code retry-after} (span: error, {@code pause_hold_timeout})
 * @param retryAfter the {@code retry-after} a refused request gets ({@code reject} mode, or a hold that ran
 *     out), in whole seconds (rounded up)
 */
public record PauseConfig(Duration holdTimeout, Duration retryAfter) {
  public static final Duration DEFAULT_HOLD_TIMEOUT = Duration.ofMinutes(10);
  public static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(5);

  public PauseConfig {
    holdTimeout = holdTimeout == null ? DEFAULT_HOLD_TIMEOUT : holdTimeout;
    retryAfter = retryAfter == null ? DEFAULT_RETRY_AFTER : retryAfter;
  }

  public static PauseConfig defaults() {
    return new PauseConfig(null, null);
  }
}
