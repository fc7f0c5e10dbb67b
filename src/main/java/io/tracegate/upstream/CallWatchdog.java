package io.tracegate.upstream;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientRequest;
import java.util.concurrent.TimeUnit;

/**
 * The timeouts of one upstream call with a single lazily refreshed timer: first the response timeout (until
 * the response headers arrive), then the idle timeout (longest silence between two body chunks). A chunk only
 * stamps a time; the timer re-arms itself for the remaining time when it fires early, so the hot path never
 * touches the scheduler. The timer is always cancelled when the call ends, so nothing outlives the call.
 * Confined to the call's event loop.
 */
final class CallWatchdog {
  private final Vertx vertx;
  private final HttpClientRequest request;
  private final String backend;
  private long timerId = -1;
  private long limitNanos;
  private long lastActivityNanos;
  private String phase;
  private boolean finished;
  private boolean timedOut;

  CallWatchdog(Vertx vertx, HttpClientRequest request, String backend) {
    this.vertx = vertx;
    this.request = request;
    this.backend = backend;
  }

  /** Starts (or switches to) a phase with its own limit, counted from now. */
  void arm(long limitMillis, String phaseName) {
    if (finished) {
      return;
    }
    cancelTimer();
    this.phase = phaseName;
    this.limitNanos = TimeUnit.MILLISECONDS.toNanos(limitMillis);
    this.lastActivityNanos = System.nanoTime();
    if (limitMillis > 0) {
      timerId = vertx.setTimer(limitMillis, this::fire);
    }
  }

  void touch() {
    lastActivityNanos = System.nanoTime();
  }

  void finish() {
    finished = true;
    cancelTimer();
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
    if (finished) {
      return;
    }
    long silent = System.nanoTime() - lastActivityNanos;
    if (silent < limitNanos) {
      timerId = vertx.setTimer(Math.max(1, TimeUnit.NANOSECONDS.toMillis(limitNanos - silent)), this::fire);
      return;
    }
    timedOut = true;
    finished = true;
    request.reset(0, timeout());
  }

  private void cancelTimer() {
    if (timerId >= 0) {
      vertx.cancelTimer(timerId);
      timerId = -1;
    }
  }
}
