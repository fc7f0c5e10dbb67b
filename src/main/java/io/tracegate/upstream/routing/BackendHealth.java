package io.tracegate.upstream.routing;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Passive health of one backend (outlier detection), shared by every event loop: {@code failures} retryable
 * failures in a row put it in cooldown; once the cooldown is over exactly one request is let through as a
 * probe (half-open): its success makes the backend healthy, its failure starts another cooldown. Any success
 * makes it healthy. Lock-free: one atomic state word and a failure counter; a healthy backend costs one read.
 */
public final class BackendHealth {
  /** What {@link #tryAdmit()} decided for one attempt. */
  public enum Admission { ADMITTED, PROBE, REFUSED }

  /** As shown by {@code GET /api/backends}. */
  public enum State {
    HEALTHY("healthy"), COOLDOWN("cooldown"), PROBING("probing");

    private final String id;

    State(String id) {
      this.id = id;
    }

    public String id() {
      return id;
    }
  }

  private static final long HEALTHY = 0;
  private static final long PROBING = -1;
  private static final long ORIGIN = System.nanoTime();

  /** HEALTHY, PROBING, or (> 0) the time the cooldown ends, in nanoseconds since {@link #ORIGIN}. */
  private final AtomicLong state = new AtomicLong(HEALTHY);
  private final AtomicInteger failures = new AtomicInteger();
  private final AtomicLong cooldowns = new AtomicLong();
  private final int threshold;
  private final long cooldownNanos;

  public BackendHealth(int failures, long cooldownNanos) {
    this.threshold = failures;
    this.cooldownNanos = cooldownNanos;
  }

  private static long now() {
    return Math.max(1, System.nanoTime() - ORIGIN);
  }

  /**
   * May an attempt go to this backend? A healthy one admits everyone; in cooldown it refuses; once the
   * cooldown is over the first caller gets the {@link Admission#PROBE} and everyone else is refused until the
   * probe has reported. Whoever gets the probe must report its outcome ({@link #succeeded}, {@link #failed} or
   * {@link #abandoned}) with {@code probe = true}.
   */
  public Admission tryAdmit() {
    long s = state.get();
    if (s == HEALTHY) {
      return Admission.ADMITTED;
    }
    if (s == PROBING || now() - s < 0) {
      return Admission.REFUSED;
    }
    return state.compareAndSet(s, PROBING) ? Admission.PROBE : Admission.REFUSED;
  }

  /** An attempt got an answer that is not a retryable failure: the backend is healthy. */
  public void succeeded() {
    if (failures.get() != 0) {
      failures.set(0);
    }
    if (state.get() != HEALTHY) {
      state.set(HEALTHY);
    }
  }

  /**
   * An attempt failed retryably (connect failure, timeout before the headers, 408/409/429/5xx). A probe's
   * failure starts a new cooldown; a failure while the backend is already out (a request sent to it because
   * every backend was out) changes nothing.
   */
  public void failed(boolean probe) {
    if (probe) {
      state.set(now() + cooldownNanos);
      cooldowns.incrementAndGet();
      return;
    }
    if (state.get() != HEALTHY) {
      return;
    }
    if (failures.incrementAndGet() >= threshold && state.compareAndSet(HEALTHY, now() + cooldownNanos)) {
      failures.set(0);
      cooldowns.incrementAndGet();
    }
  }

  /** The attempt ended without telling anything about the backend (cancelled, no free connection). */
  public void abandoned(boolean probe) {
    if (probe) {
      state.compareAndSet(PROBING, 1); // a cooldown that is over: the next request probes
    }
  }

  public State state() {
    long s = state.get();
    return s == HEALTHY ? State.HEALTHY : s == PROBING ? State.PROBING : State.COOLDOWN;
  }

  /** Milliseconds of cooldown left (0 when over, or not cooling down). */
  public long cooldownRemainingMillis() {
    long s = state.get();
    return s > 0 ? Math.max(0, (s - now()) / 1_000_000) : 0;
  }

  /** Retryable failures in a row so far (reset by a success and when a cooldown starts). */
  public int consecutiveFailures() {
    return failures.get();
  }

  /** Cooldowns started since the gateway started. */
  public long cooldownsStarted() {
    return cooldowns.get();
  }
}
