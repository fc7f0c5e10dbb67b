package io.tracegate.trace;

import java.time.Instant;

/**
 * Wall-clock time in Unix nanoseconds, derived from one wall-clock reading plus the monotonic
 * {@link System#nanoTime()}: cheap, nanosecond-resolution and never going backwards inside a process.
 */
public final class EpochClock {
  private static final long BASE_EPOCH_NANOS;
  private static final long BASE_MONOTONIC = System.nanoTime();

  static {
    Instant now = Instant.now();
    BASE_EPOCH_NANOS = now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }

  private EpochClock() {}

  public static long nowUnixNano() {
    return BASE_EPOCH_NANOS + (System.nanoTime() - BASE_MONOTONIC);
  }
}
