package io.tracegate.server;

import io.tracegate.config.ModelConfig;
import io.tracegate.protocol.openai.RequestPeek;
import io.tracegate.trace.Exchange;
import io.tracegate.trace.UpstreamAttempt;
import io.tracegate.upstream.Backend;
import io.tracegate.upstream.BackendPool;
import io.tracegate.upstream.UpstreamException;
import io.tracegate.upstream.UpstreamResponse;
import io.tracegate.upstream.routing.Route;
import io.tracegate.upstream.routing.RouteBackend;
import io.tracegate.upstream.routing.RetryRules;
import io.tracegate.upstream.routing.StickyKeys;
import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import java.util.concurrent.TimeUnit;

/**
 * Sends a routed request to its model's backends until one answers: the {@link Route} picks each attempt's
 * backend (strategy, health, stickiness), the {@link Lane} for that backend's protocol plans it, and a
 * retryable failure (connect failure, timeout before the headers, 408/409/429/5xx) is tried again after a
 * backoff, on the same or the next backend, while retries are left. Once an answer is relayed to the client
 * nothing is retried. Every attempt is listed on the exchange; the last one decides what the client gets.
 * See docs/config.md, "Routing and retries".
 */
final class BackendAttempts {
  private final BackendPool backends;
  private final ProxyEndpoint endpoint;
  private final GatewayMetrics metrics;

  BackendAttempts(BackendPool backends, ProxyEndpoint endpoint, GatewayMetrics metrics) {
    this.backends = backends;
    this.endpoint = endpoint;
    this.metrics = metrics;
  }

  /** Serves {@code call}, whose body {@code peek} read and which asks for {@code model}. On its event loop. */
  void start(ProxyCall call, RequestPeek peek, ModelConfig model) {
    new Run(call, peek, backends.routes().of(model)).next(-1);
  }

  /** One client request's attempts. Confined to its event loop. */
  private final class Run {
    private final ProxyCall call;
    private final RequestPeek peek;
    private final Route route;
    private final long key;
    private final boolean keyed;
    private long tried;
    private long barred;
    private int attempts;
    private int firstIndex = -1;
    /** The backend whose in-flight count this request holds, or null. */
    private RouteBackend holding;
    /** A choice waiting for its backoff timer (its probe, if any, is ours), or -1. */
    private int pending = -1;
    /** The backend of the attempt sent and not yet answered, or null; and when it was sent. */
    private RouteBackend sending;
    private long sentAt;

    Run(ProxyCall call, RequestPeek peek, Route route) {
      this.call = call;
      this.peek = peek;
      this.route = route;
      String stickyKey = route.sticky() ? StickyKeys.of(call.exchange().rolloutId(),
          call.ctx().request()::getHeader, call.exchange().request(), peek.members()) : null;
      this.keyed = stickyKey != null;
      this.key = keyed ? StickyKeys.hash(stickyKey) : 0;
      call.whenDone(this::done);
    }

    /** Sends the next attempt to {@code choice}, or to the route's pick when it is -1. */
    void next(int choice) {
      pending = -1;
      if (call.done()) {
        abandon(choice);
        return;
      }
      int pick = choice >= 0 ? choice : route.pick(key, keyed, tried, barred);
      int index = Route.indexOf(pick);
      boolean probe = Route.isProbe(pick);
      RouteBackend state = route.backend(index);
      Backend backend = backends.of(route.model(), index);
      Exchange ex = call.exchange();
      Lane.Plan plan;
      try {
        if (attempts > 0) {
          ex.replanning();
        }
        Lane lane = endpoint.lane(backend.config());
        String backendModel = backend.config().backendModel(peek.model());
        ex.routed(backend.config().provider().id(), backend.name(), backendModel, backend.config().baseUrl(),
            lane.backendProtocol());
        plan = lane.plan(ex, peek, backend, backendModel, call.ctx().request().headers(),
            call.ctx().request().query());
        ForwardedHeaders.traceContext(plan.call().headers(), call.ctx().request().headers(), ex.traceId(),
            ex.spanId());
      } catch (RuntimeException e) {
        state.health().abandoned(probe);
        call.fail(e);
        return;
      }
      if (firstIndex < 0) {
        firstIndex = index;
      }
      if (attempts > 0) {
        metrics.retried();
      }
      tried |= 1L << index;
      attempts++;
      enter(state);
      long start = System.nanoTime();
      sending = state;
      sentAt = start;
      Future<UpstreamResponse> sent;
      try {
        sent = backend.send(plan.call(), call.cancellation());
      } catch (RuntimeException e) { // a retry runs from a timer: nothing above it would answer the client
        sent = Future.failedFuture(e);
      }
      sent.onComplete(ar -> {
        long took = System.nanoTime() - start;
        if (ar.succeeded()) {
          answered(ar.result(), plan, state, probe, took);
        } else {
          failed(ar.cause(), state, probe, took);
        }
      });
    }

    private void answered(UpstreamResponse response, Lane.Plan plan, RouteBackend state, boolean probe, long took) {
      sending = null;
      int status = response.status();
      boolean retryable = RetryRules.retryableStatus(status);
      if (retryable) {
        state.health().failed(probe);
      } else {
        state.health().succeeded();
      }
      state.recent().record(retryable, took);
      if (call.done()) {
        call.upstream(response); // resets it
        return;
      }
      if (retryable && retryLeft()) {
        long hint = RetryRules.retryAfterMillis(response.headers());
        long bar = hint > route.retries().maxBackoff().toMillis() ? 1L << state.index() : 0;
        int next = route.pick(key, keyed, tried, barred | bar);
        if (next >= 0) {
          barred |= bar;
          call.exchange().attempt(new UpstreamAttempt(state.name(), status, "http_" + status, millis(took)));
          response.fullBody(); // read and dropped: the connection goes back to the pool
          boolean same = Route.indexOf(next) == state.index();
          retry(state, next, !same ? 0 : hint >= 0 ? hint : RetryRules.backoffMillis(route.retries(), attempts - 1));
          return;
        }
      }
      // the attempt that answered: its error is its status when that is one (the client gets it as it is)
      call.exchange().attempt(new UpstreamAttempt(state.name(), status, status >= 400 ? "http_" + status : null,
          millis(took)));
      if (state.index() != firstIndex) {
        metrics.fellBack();
      }
      respond(response, plan);
    }

    private void failed(Throwable t, RouteBackend state, boolean probe, long took) {
      sending = null;
      UpstreamException u = t instanceof UpstreamException e ? e : null;
      if (call.done() || (u != null && u.reason() == UpstreamException.Reason.CANCELLED)) {
        state.health().abandoned(probe);
        call.fail(t); // no-op unless the gateway itself cancelled it
        return;
      }
      if (u != null && RetryRules.countsAgainstHealth(u)) {
        state.health().failed(probe);
        state.recent().record(true, took);
      } else {
        state.health().abandoned(probe);
      }
      if (u != null && RetryRules.retryable(u) && retryLeft()) {
        long bar = RetryRules.otherBackendOnly(u) ? 1L << state.index() : 0;
        int next = route.pick(key, keyed, tried, barred | bar);
        if (next >= 0) {
          barred |= bar;
          call.exchange().attempt(new UpstreamAttempt(state.name(), null, ErrorMapper.map(u).code(), millis(took)));
          boolean same = Route.indexOf(next) == state.index();
          retry(state, next, same ? RetryRules.backoffMillis(route.retries(), attempts - 1) : 0);
          return;
        }
      }
      call.exchange().attempt(new UpstreamAttempt(state.name(), null, ErrorMapper.map(t).code(), millis(took)));
      call.fail(t);
    }

    private boolean retryLeft() {
      return attempts <= route.retries().max();
    }

    private void retry(RouteBackend failed, int next, long delayMillis) {
      leave(failed);
      if (delayMillis <= 0) {
        next(next);
        return;
      }
      pending = next;
      call.ctx().vertx().setTimer(delayMillis, id -> next(next)); // a client gone meanwhile is seen by next()
    }

    private void respond(UpstreamResponse response, Lane.Plan plan) {
      call.upstream(response);
      if (call.done()) {
        return;
      }
      call.exchange().upstreamStatus(response.status());
      String contentType = response.headers().get(HttpHeaders.CONTENT_TYPE);
      boolean sse = contentType != null && contentType.startsWith("text/event-stream");
      if (response.status() < 400 && sse) {
        new StreamRelay(call, response, plan.frames().get()).start("text/event-stream");
      } else if (response.status() < 400 && plan.clientBody() == Lane.PASS_THROUGH) {
        new BodyRelay(call, response).start();
      } else {
        ProxyCalls.relayWhole(call, response, plan);
      }
    }

    private void enter(RouteBackend b) {
      holding = b;
      b.enter();
    }

    private void leave(RouteBackend b) {
      if (holding == b) {
        holding = null;
        b.leave();
      }
    }

    /**
     * The outcome is decided (just before the span is closed): an attempt still waiting for its answer is listed
     * as cancelled (its own outcome arrives later and settles the backend's health), the in-flight count and a
     * probe still waiting for its timer are given back.
     */
    private void done() {
      if (sending != null) {
        call.exchange().attempt(new UpstreamAttempt(sending.name(), null, "cancelled",
            millis(System.nanoTime() - sentAt)));
        sending = null;
      }
      if (holding != null) {
        leave(holding);
      }
      abandon(pending);
      pending = -1;
    }

    private void abandon(int choice) {
      if (choice >= 0 && Route.isProbe(choice)) {
        route.backend(Route.indexOf(choice)).health().abandoned(true);
      }
    }
  }

  private static long millis(long nanos) {
    return TimeUnit.NANOSECONDS.toMillis(nanos);
  }
}
