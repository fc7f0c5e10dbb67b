package io.tracegate.upstream;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The connection limit of one backend for the whole gateway ({@code max_connections}), shared by the event
 * loops: a call takes a permit before it asks its event loop's HTTP client for a connection and gives it back
 * when the call ends. When every permit is taken the call waits, in arrival order, at most
 * {@code timeouts.pool_wait}; at most {@code max_connections} calls (at least {@value #MIN_WAITING}) wait,
 * later ones fail at once. A call
 * that is cancelled while waiting leaves the queue. Failures are {@link UpstreamException.Reason#NO_CONNECTION},
 * never a timeout of the backend. Thread-safe; waiters are resumed on their own event loop.
 */
public final class ConnectionLimit {
  private final String backend;
  private final int max;
  private final long waitMillis;
  /** Fewest calls allowed to wait, whatever the limit. */
  static final int MIN_WAITING = 1024;
  private final int maxWaiting;
  private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
  private int inUse;

  public ConnectionLimit(String backend, int max, long waitMillis) {
    this.backend = backend;
    this.max = max;
    this.maxWaiting = Math.max(max, MIN_WAITING);
    this.waitMillis = waitMillis;
  }

  /** A taken permit; {@link #release()} gives it back (only the first call counts). */
  public final class Permit {
    private final AtomicBoolean released = new AtomicBoolean();

    public void release() {
      if (released.compareAndSet(false, true)) {
        handOver();
      }
    }
  }

  private final class Waiter {
    final Context context;
    final Promise<Permit> promise = Promise.promise();
    final AtomicBoolean settled = new AtomicBoolean();
    long timerId = -1;

    Waiter(Context context) {
      this.context = context;
    }

    /** On the waiter's event loop: takes the handed-over permit, unless it gave up first. */
    boolean grant() {
      if (!settled.compareAndSet(false, true)) {
        return false;
      }
      context.owner().cancelTimer(timerId);
      promise.complete(new Permit());
      return true;
    }

    void giveUp(UpstreamException why) {
      if (settled.compareAndSet(false, true)) {
        synchronized (ConnectionLimit.this) {
          waiters.remove(this);
        }
        context.owner().cancelTimer(timerId);
        promise.fail(why);
      }
    }
  }

  /** Takes a permit, waiting when all are in use. Call on the caller's event loop. */
  public Future<Permit> acquire(Vertx vertx, Cancellation cancellation) {
    Waiter waiter;
    synchronized (this) {
      if (inUse < max) {
        inUse++;
        return Future.succeededFuture(new Permit());
      }
      if (waiters.size() >= maxWaiting) {
        return Future.failedFuture(noConnection("all " + max + " connections are in use and " + waiters.size()
            + " requests are already waiting"));
      }
      waiter = new Waiter(vertx.getOrCreateContext());
      waiters.add(waiter);
    }
    waiter.timerId = vertx.setTimer(waitMillis, id -> waiter.giveUp(noConnection("no free connection to backend "
        + backend + " within " + seconds(waitMillis) + " (max_connections " + max + ", all in use)")));
    cancellation.onCancel(() -> waiter.giveUp(cancellation.exception(backend)));
    return waiter.promise.future();
  }

  /** Permits in use now (for tests and metrics). */
  /** The backend's name, as in spans and messages. */
  public String backend() {
    return backend;
  }

  /** Most connections this backend may have open at once ({@code max_connections}). */
  public int max() {
    return max;
  }

  public synchronized int inUse() {
    return inUse;
  }

  /** Calls waiting for a permit now. */
  public synchronized int waiting() {
    return waiters.size();
  }

  private void handOver() {
    Waiter next;
    synchronized (this) {
      next = waiters.poll();
      if (next == null) {
        inUse--;
        return;
      }
    }
    // the permit stays taken and moves to the waiter; if it gave up meanwhile, it is handed on again
    next.context.runOnContext(v -> {
      if (!next.grant()) {
        handOver();
      }
    });
  }

  private UpstreamException noConnection(String message) {
    String text = message.startsWith("no free") ? message : "no free connection to backend " + backend + ": " + message;
    return new UpstreamException(UpstreamException.Reason.NO_CONNECTION, text, null);
  }

  private static String seconds(long millis) {
    return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
  }
}
