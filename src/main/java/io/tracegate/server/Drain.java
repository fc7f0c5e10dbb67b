package io.tracegate.server;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Graceful shutdown of the proxy: knows the calls in flight (from arrival until their response has ended or
 * their client is gone) and whether the gateway is draining. {@link Gateway#close()} starts draining, waits
 * for the calls to finish up to {@code server.shutdown_grace}, then cuts the rest. Thread-safe.
 */
final class Drain {
  /** Longest wait for cut calls to end their responses. */
  private static final long CUT_WAIT_MILLIS = 5_000;
  private final Set<ProxyCall> calls = ConcurrentHashMap.newKeySet();
  private volatile boolean draining;

  /** Follows a call until its response has ended (or its connection closed). Event loop. */
  void track(ProxyCall call) {
    calls.add(call);
    call.ctx().addEndHandler(v -> calls.remove(call));
  }

  boolean draining() {
    return draining;
  }

  int inFlight() {
    return calls.size();
  }

  void start() {
    draining = true;
  }

  /** Blocks (never on an event loop) until no call is in flight or {@code millis} passed; true if none is left. */
  boolean awaitIdle(long millis) throws InterruptedException {
    return awaitEmpty(millis);
  }

  /** Cuts every call still in flight (span: cancelled, shutdown) on its own event loop and waits for them briefly. */
  void cutAll() throws InterruptedException {
    for (ProxyCall call : calls) {
      call.context().runOnContext(v -> call.cutForShutdown());
    }
    awaitEmpty(CUT_WAIT_MILLIS);
  }

  private boolean awaitEmpty(long millis) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    while (!calls.isEmpty()) {
      if (System.nanoTime() - deadline >= 0) {
        return false;
      }
      TimeUnit.MILLISECONDS.sleep(10);
    }
    return true;
  }
}
