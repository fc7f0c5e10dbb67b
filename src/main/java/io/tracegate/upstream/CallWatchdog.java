package io.tracegate.upstream;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientRequest;
import java.util.concurrent.TimeUnit;

/**
 * The timeouts of one upstream call with a single lazily refreshed timer: first the response timeout (until
 * the response headers arrive), then the idle timeout (longest silence between two body chunks, not counting
 * the time the gateway itself stopped reading because the client was slow). A chunk only
 * stamps a time; the timer re-arms itself for the remaining time when it fires early, so the hot path never
 * touches the scheduler. The timer is always cancelled when the call ends, so nothing outlives the call.
 * Confined to the call's event loop.
 */
final class CallWatchdog {
  private final Vertx vertx;
  private final HttpClientRequest request;
  private final String backend;
  private final Runnable onEnd;
  private long timerId = -1;
  private long wakeAtNanos;
  private long limitNanos;
  private long lastActivityNanos;
  private String phase;
  private boolean finished;
  private boolean timedOut;
  private boolean paused;

  /** @param onEnd runs once when the call ends, however it ends (finished, failed, cancelled, timed out) */
  CallWatchdog(Vertx vertx, HttpClientRequest request, String backend, Runnable onEnd) {
    this.vertx = vertx;
    this.request = request;
    this.backend = backend;
    this.onEnd = onEnd;
  }

  /** Starts (or switches to) a phase with its own limit, counted from now. */
  void arm(long limitMillis, String phaseName) {
    arm(limitMillis, phaseName, 0);
  }

  /**
   * Starts a phase with its own limit, counted from now, knowing the limit of the phase that follows it
   * (0: none). The timer is set to fire within the smaller of the two, so that switching to the next phase
   * finds a timer that wakes early enough and keeps it instead of cancelling and scheduling another: a call
   * then costs one timer, not two. Firing early only re-arms for the time left.
   */
  void arm(long limitMillis, String phaseName, long nextLimitMillis) {
    if (finished) {
      return;
    }
    long now = System.nanoTime();
    this.phase = phaseName;
    this.limitNanos = TimeUnit.MILLISECONDS.toNanos(limitMillis);
    this.lastActivityNanos = now;
    if (limitMillis <= 0) {
      cancelTimer();
      return;
    }
    if (timerId >= 0 && wakeAtNanos - (now + limitNanos) <= 0) {
      return; // the pending timer fires before this phase's deadline and re-arms for what is left
    }
    cancelTimer();
    long wakeMillis = nextLimitMillis > 0 ? Math.min(limitMillis, nextLimitMillis) : limitMillis;
    schedule(now, wakeMillis);
  }

  void touch() {
    lastActivityNanos = System.nanoTime();
  }

  /**
   * The gateway stopped reading (back-pressure from a slow client): whatever the upstream sends now waits in
   * buffers, so silence seen from here is not the upstream's. The clock stops until {@link #resume()}.
   */
  void pause() {
    paused = true;
  }

  /** Reading again: the silence limit counts from now. */
  void resume() {
    if (!paused) {
      return;
    }
    paused = false;
    long now = System.nanoTime();
    lastActivityNanos = now;
    if (timerId < 0 && !finished && limitNanos > 0) {
      schedule(now, TimeUnit.NANOSECONDS.toMillis(limitNanos));
    }
  }

  void finish() {
    if (finished) {
      return;
    }
    finished = true;
    cancelTimer();
    onEnd.run();
  }

  boolean timedOut() {
    return timedOut;
  }

  UpstreamException timeout() {
    return new UpstreamException(UpstreamException.Reason.TIMEOUT, "upstream " + backend + " timed out: no "
        + phase + " within " + TimeUnit.NANOSECONDS.toMillis(limitNanos) + " ms", null);
  }

  /** Maps a failure of the call: after a timeout, whatever the transport reported is the timeout. */
  Throwable explain(Throwable t) {
    return timedOut ? timeout() : UpstreamException.fromTransport(backend, t);
  }

  private void fire(long id) {
    timerId = -1;
    if (finished || paused) {
      return; // paused: resume() starts the clock again
    }
    long now = System.nanoTime();
    long silent = now - lastActivityNanos;
    if (silent < limitNanos) {
      schedule(now, Math.max(1, TimeUnit.NANOSECONDS.toMillis(limitNanos - silent)));
      return;
    }
    timedOut = true;
    finish();
    request.reset(0, timeout());
  }

  private void schedule(long nowNanos, long delayMillis) {
    wakeAtNanos = nowNanos + TimeUnit.MILLISECONDS.toNanos(delayMillis);
    timerId = vertx.setTimer(delayMillis, this::fire);
  }

  private void cancelTimer() {
    if (timerId >= 0) {
      vertx.cancelTimer(timerId);
      timerId = -1;
    }
  }
}
