package io.tracegate.server;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Graceful shutdown of the proxy: knows the calls in flight (from arrival until their response has ended or
 * their client is gone), the requests whose body was still arriving when they were last seen, and whether
 * the gateway is draining. {@link Gateway#close()} starts draining, waits for both to finish up to
 * {@code server.shutdown_grace}, then cuts the rest: a request still uploading then is failed with
 * {@link #SHUTDOWN_CUT}, so a proxy request gets its span ({@code cancelled: shutdown}) like a running call.
 * Thread-safe.
 */
final class Drain {
  /** The failure a request still receiving its body gets when the grace period is over. */
  static final GatewayException SHUTDOWN_CUT = new GatewayException(GatewayException.Kind.SERVICE_UNAVAILABLE,
      "the gateway is shutting down");
  /** Longest wait for cut calls to end their responses. */
  private static final long CUT_WAIT_MILLIS = 5_000;
  private final Set<ProxyCall> calls = ConcurrentHashMap.newKeySet();
  private final Map<RoutingContext, Context> requests = new ConcurrentHashMap<>();
  private volatile boolean draining;

  /** Follows a call until its response has ended (or its connection closed). Event loop. */
  void track(ProxyCall call) {
    calls.add(call);
    call.ctx().addEndHandler(v -> calls.remove(call));
  }

  /**
   * Follows a request with a body from its headers until its response has ended: one that arrived before
   * shutdown began is let finish its upload and its call within the grace period. On its event loop.
   */
  void receiving(RoutingContext ctx) {
    requests.put(ctx, Vertx.currentContext());
    ctx.addEndHandler(v -> requests.remove(ctx));
  }

  boolean draining() {
    return draining;
  }

  /** Calls in flight, plus requests still receiving their body. */
  int inFlight() {
    int uploading = 0;
    for (RoutingContext ctx : requests.keySet()) {
      uploading += ctx.get(ProxyCall.CONTEXT_KEY) == null ? 1 : 0;
    }
    return calls.size() + uploading;
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
    requests.forEach((ctx, context) -> context.runOnContext(v -> {
      if (ctx.get(ProxyCall.CONTEXT_KEY) == null && !ctx.response().ended() && !ctx.failed()) {
        ctx.response().putHeader(io.vertx.core.http.HttpHeaders.CONNECTION, "close");
        ctx.fail(SHUTDOWN_CUT);
      }
    }));
    awaitEmpty(CUT_WAIT_MILLIS);
  }

  private boolean awaitEmpty(long millis) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    while (!calls.isEmpty() || !requests.isEmpty()) {
      if (System.nanoTime() - deadline >= 0) {
        return false;
      }
      TimeUnit.MILLISECONDS.sleep(10);
    }
    return true;
  }
}
