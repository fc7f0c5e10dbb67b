package io.tracegate.server;

import io.tracegate.server.ErrorMapper.MappedError;
import io.tracegate.trace.Exchange;
import io.tracegate.trace.Span;
import io.tracegate.upstream.Cancellation;
import io.tracegate.upstream.routing.PauseGate;
import io.vertx.core.Context;
import io.tracegate.upstream.UpstreamResponse;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

/**
 * The lifecycle of one proxied request, shared by every client protocol: it owns the {@link Exchange},
 * notices a client that goes away (cancelling the upstream call), and turns any failure into one error
 * response in the client's protocol (or an error frame when a stream has already started) plus exactly one
 * span. Confined to the request's event loop.
 */
final class ProxyCall {
  static final String CONTEXT_KEY = "tracegate.call";
  static final int CLIENT_CLOSED_STATUS = 499;
  /** status_message and error.type of a call cut when the shutdown grace period ran out. */
  static final String SHUTDOWN = "shutdown";
  /** A gateway header (never forwarded upstream): the policy version this request is served with. */
  static final String MODEL_VERSION_HEADER = "x-model-version";

  private final RoutingContext ctx;
  private final Exchange exchange;
  private final SpanSink sink;
  private final boolean anthropicErrors;
  private final Cancellation cancellation = new Cancellation();
  private final Context context;
  private UpstreamResponse upstream;
  private Runnable whenDone;

  ProxyCall(RoutingContext ctx, Exchange exchange, SpanSink sink, boolean anthropicErrors) {
    this.ctx = ctx;
    this.exchange = exchange;
    this.sink = sink;
    this.anthropicErrors = anthropicErrors;
    this.context = ctx.vertx().getOrCreateContext(); // the event loop this request runs on
    ctx.put(CONTEXT_KEY, this);
    // an end handler, not the response's close handler: vert.x-web's own handlers (which run every end
    // handler: the answered count, the drain, the pause permit) must stay in place; a failed end is a
    // connection closed (or a write failed) before the response ended
    ctx.addEndHandler(ar -> {
      if (ar.failed()) {
        clientGone();
      }
    });
  }

  Exchange exchange() {
    return exchange;
  }

  RoutingContext ctx() {
    return ctx;
  }

  /** The request's event loop. */
  Context context() {
    return context;
  }

  /** Abandons the upstream call at whatever stage it is (waiting for a connection, for headers, mid-body). */
  Cancellation cancellation() {
    return cancellation;
  }

  /** True once the span outcome is decided; nothing more may be written to the client. */
  boolean done() {
    return exchange.ended();
  }

  /**
   * Runs {@code action} once, as soon as the outcome is decided (at once if it already is), just before the
   * exchange is closed, so the action may still note something on it (an attempt cut short): whatever the call
   * held (a backend's in-flight count, a probe) is given back there. Actions run in registration order.
   */
  void whenDone(Runnable action) {
    if (done()) {
      action.run();
    } else {
      Runnable before = whenDone;
      whenDone = before == null ? action : () -> {
        before.run();
        action.run();
      };
    }
  }

  private void ended() {
    Runnable action = whenDone;
    whenDone = null;
    if (action != null) {
      action.run();
    }
  }

  /**
   * The request passed the pause gate: it counts as in flight until its response ends (or its client is gone),
   * and is served with the gate's model version unless the client named its own ({@code x-model-version}).
   * False (and the permit given back) when the call was already answered: it must not go on.
   */
  boolean admitted(PauseGate.Permit permit) {
    if (done()) { // answered meanwhile: nothing more to send
      permit.release();
      return false;
    }
    ctx.addEndHandler(v -> permit.release());
    if (modelVersionHeader(ctx) == null) {
      exchange.modelVersion(permit.modelVersion());
    }
    return true;
  }

  /** The request's own {@code x-model-version}, or null when it sent none (or an empty one). */
  static String modelVersionHeader(RoutingContext ctx) {
    String v = ctx.request().getHeader(MODEL_VERSION_HEADER);
    return v == null || v.isBlank() ? null : v.strip();
  }

  void upstream(UpstreamResponse response) {
    this.upstream = response;
    if (done()) {
      response.cancel();
    }
  }

  void succeed(int status) {
    ended();
    sink.ok(exchange, status);
  }

  /** Upstream answered with an error status that was passed through to the client. */
  void upstreamError(int status, String message) {
    ended();
    sink.finish(exchange, status, Span.STATUS_ERROR, message, "http_" + status);
  }

  void fail(Throwable t) {
    if (done()) {
      return;
    }
    if (t instanceof HttpClosedException && ctx.response().closed()) { // the client's connection closed under us
      clientGone("client disconnected before its request was complete");
      return;
    }
    MappedError e = ErrorMapper.map(t);
    ended();
    sink.finish(exchange, e.status(), Span.STATUS_ERROR, e.message(), e.code());
    cancelUpstream();
    answerError(e);
  }

  /**
   * The shutdown grace period is over and this call is still running: the span says {@code cancelled} /
   * {@code shutdown} (not a client disconnect), the upstream call is reset and the client gets a 503, or an
   * error event when its stream had started. On the call's event loop.
   */
  void cutForShutdown() {
    if (done()) {
      return;
    }
    MappedError e = ErrorMapper.map(new GatewayException(GatewayException.Kind.SERVICE_UNAVAILABLE,
        "the gateway is shutting down"));
    ended();
    sink.finish(exchange, e.status(), Span.STATUS_CANCELLED, SHUTDOWN, SHUTDOWN);
    cancelUpstream();
    if (!ctx.response().headWritten()) {
      ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
    }
    answerError(e);
  }

  private void answerError(MappedError e) {
    HttpServerResponse response = ctx.response();
    if (!response.headWritten()) {
      if (e.retryAfterSeconds() != null) {
        response.putHeader(HttpHeaders.RETRY_AFTER, String.valueOf(e.retryAfterSeconds()));
      }
      response
          .setStatusCode(e.status())
          .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
          .end(anthropicErrors ? ErrorMapper.anthropicBody(e) : ErrorMapper.openAiBody(e));
    } else if (!response.ended() && !response.closed()) {
      if (isEventStream(response)) {
        response.end(errorFrame(e));
      } else {
        // a whole answer already under way has no place for an error: the client sees it cut short
        response.reset();
      }
    }
  }

  private static boolean isEventStream(HttpServerResponse response) {
    String type = response.headers().get(HttpHeaders.CONTENT_TYPE);
    return type != null && type.startsWith("text/event-stream");
  }

  private Buffer errorFrame(MappedError e) {
    if (anthropicErrors) {
      return Buffer.buffer("event: error\ndata: ").appendBuffer(ErrorMapper.anthropicBody(e)).appendString("\n\n");
    }
    return Buffer.buffer("data: ").appendBuffer(ErrorMapper.openAiBody(e)).appendString("\n\n");
  }

  private void clientGone() {
    clientGone("client disconnected before the response was complete");
  }

  private void clientGone(String message) {
    if (done()) {
      return;
    }
    // decide the outcome first: cancelling the upstream call makes it report a (secondary) reset error
    ended();
    sink.finish(exchange, CLIENT_CLOSED_STATUS, Span.STATUS_CANCELLED, message, "client_disconnected");
    cancelUpstream();
  }

  private void cancelUpstream() {
    cancellation.cancel();
    if (upstream != null) {
      upstream.cancel();
    }
  }
}
