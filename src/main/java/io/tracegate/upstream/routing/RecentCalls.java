package io.tracegate.upstream.routing;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Attempts to one backend over the last {@value #WINDOW_SECONDS} seconds (one bucket per second), for
 * {@code GET /api/backends}: how many, how many failed retryably, and their mean time to the response headers.
 * Lock-free and shared by every event loop; a bucket is recycled by the first attempt of a new second (an
 * attempt recorded by another thread in the same instant may be lost: these are indications, not accounts).
 */
public final class RecentCalls {
  public static final int WINDOW_SECONDS = 60;
  private static final long ORIGIN = System.nanoTime();

  private final AtomicLongArray second = new AtomicLongArray(WINDOW_SECONDS);
  private final AtomicLongArray calls = new AtomicLongArray(WINDOW_SECONDS);
  private final AtomicLongArray errors = new AtomicLongArray(WINDOW_SECONDS);
  private final AtomicLongArray micros = new AtomicLongArray(WINDOW_SECONDS);

  /** What the window holds now. */
  public record Summary(long calls, long errors, double meanLatencyMillis) {
    public double errorRate() {
      return calls == 0 ? 0 : (double) errors / calls;
    }
  }

  private static long nowSecond() {
    return (System.nanoTime() - ORIGIN) / 1_000_000_000L + 1; // from 1: a bucket never used holds second 0
  }

  public void record(boolean error, long durationNanos) {
    long now = nowSecond();
    int i = (int) (now % WINDOW_SECONDS);
    long seen = second.get(i);
    if (seen != now && second.compareAndSet(i, seen, now)) {
      calls.set(i, 0);
      errors.set(i, 0);
      micros.set(i, 0);
    }
    calls.incrementAndGet(i);
    if (error) {
      errors.incrementAndGet(i);
    }
    micros.addAndGet(i, durationNanos / 1_000);
  }

  public Summary summary() {
    long now = nowSecond();
    long c = 0;
    long e = 0;
    long us = 0;
    for (int i = 0; i < WINDOW_SECONDS; i++) {
      if (now - second.get(i) < WINDOW_SECONDS) {
        c += calls.get(i);
        e += errors.get(i);
        us += micros.get(i);
      }
    }
    return new Summary(c, e, c == 0 ? 0 : us / 1000.0 / c);
  }
}
