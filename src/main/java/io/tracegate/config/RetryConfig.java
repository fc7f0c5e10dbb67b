package io.tracegate.config;

import java.time.Duration;

/**
 * A model's retries ({@code retries}): how many more attempts a request may make after its first one, and the
 * exponential backoff with full jitter between attempts on the same backend.
 *
 * @param max retries after the first attempt; 0 turns retries off
 * @param backoff base of the backoff: the wait before retry n (0-based) is random in
 *     [0, min(maxBackoff, backoff * 2^n)]
 * @param maxBackoff cap of one wait; also the longest {@code retry-after} the gateway waits for
 */
public record RetryConfig(int max, Duration backoff, Duration maxBackoff) {
  public static final int MAX_RETRIES = 10;
  public static final RetryConfig DEFAULT = new RetryConfig(2, Duration.ofMillis(200), Duration.ofSeconds(10));
  /** No retries at all. */
  public static final RetryConfig OFF = new RetryConfig(0, DEFAULT.backoff, DEFAULT.maxBackoff);
}
