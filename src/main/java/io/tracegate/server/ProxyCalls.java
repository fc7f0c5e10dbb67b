package io.tracegate.server;

import io.tracegate.auth.ActiveKey;
import io.tracegate.store.KeyStore;
import io.tracegate.trace.EpochClock;
import io.tracegate.trace.Exchange;
import io.tracegate.upstream.UpstreamException;
import io.tracegate.upstream.UpstreamResponse;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;

/** Steps every proxy handler shares, whatever protocol the client speaks. */
final class ProxyCalls {
  private static final int ERROR_EXCERPT_CHARS = 500;
  private static final byte[] EMPTY = new byte[0];

  private ProxyCalls() {}

  /**
   * Opens the exchange for a request (scope, trace parent, body) and starts watching the client. A request
   * whose rollout or attempt id is invalid gets its 400 here: the returned call is already {@link ProxyCall#done}.
   */
  static ProxyCall begin(RoutingContext ctx, GatewayServices services, String protocol, String endpoint,
      boolean anthropicErrors) {
    RolloutScope scope = RolloutScope.NONE;
    GatewayException invalidScope = null;
    try {
      scope = RolloutScope.of(ctx);
    } catch (GatewayException e) {
      invalidScope = e; // answered below like any other failure, with its one (untracked) span
    }
    TraceParent parent = TraceParent.parse(ctx.request().getHeader("traceparent"));
    Buffer body = ctx.body() == null ? null : ctx.body().buffer();
    Exchange ex = new Exchange(parent.traceId(), parent.parentId(), scope.rolloutId(), scope.attemptId(),
        protocol, endpoint, EpochClock.nowUnixNano(), body == null ? EMPTY : body.getBytes());
    ex.recordingCap(services.config().store().recordedBodyLimit());
    ActiveKey key = ctx.get(AccessGuard.KEY);
    if (key != null) { // the key's id and name, never its secret
      ex.attribute(KeyStore.SPAN_KEY_ID, key.id());
      ex.attribute(KeyStore.SPAN_KEY_NAME, key.name());
    }
    // the version this call is served with; a call held by a pause takes the one it is released with instead
    String version = ProxyCall.modelVersionHeader(ctx);
    ex.modelVersion(version != null ? version : services.pauseGate().state().modelVersion());
    // counted where the response ends, independently of spans: "answered == persisted" is a real check
    ctx.addEndHandler(v -> services.metrics().answered(ctx.response().getStatusCode()));
    ProxyCall call = new ProxyCall(ctx, ex, services.spans(), anthropicErrors);
    services.drain().track(call);
    if (invalidScope != null) {
      call.fail(invalidScope);
      return call;
    }
    String tagHeader = ctx.request().getHeader(RolloutTags.HEADER);
    String groupHeader = ctx.request().getHeader(RolloutTags.GROUP_HEADER);
    try {
      if (tagHeader != null) {
        services.tags().apply(ctx.vertx(), scope.rolloutId(), tagHeader, RolloutTags.parse(tagHeader));
      }
      if (groupHeader != null) {
        services.tags().apply(ctx.vertx(), scope.rolloutId(), RolloutTags.GROUP_HEADER + ':' + groupHeader,
            RolloutTags.group(groupHeader));
      }
    } catch (GatewayException e) {
      call.fail(e);
    }
    return call;
  }

  /**
   * Allocates the rollout's next sequence id (at request start, before anything can fail) then continues.
   * A store that cannot be read does not fail the request: the call proceeds without a sequence id.
   */
  static void allocateSequence(ProxyCall call, GatewayServices services, Runnable next) {
    String rollout = call.exchange().rolloutId();
    if (rollout == null) {
      next.run();
      return;
    }
    services.sequences().next(rollout, call.ctx().vertx().getOrCreateContext()).onComplete(ar -> {
      if (ar.succeeded()) {
        if (call.done()) {
          services.sequences().release(rollout); // answered meanwhile (e.g. the client left): the id goes unused
        } else {
          call.exchange().sequenceId(ar.result());
        }
      }
      next.run();
    });
  }

  static GatewayException unknownModel(String model, GatewayServices services) {
    return new GatewayException(GatewayException.Kind.MODEL_NOT_FOUND,
        "model '" + model + "' is not configured; known models: " + String.join(", ", services.router().names()));
  }

  /** Relays a whole (non-stream or error) response with the upstream status, shaped by the lane. */
  static void relayWhole(ProxyCall call, UpstreamResponse response, Lane.Plan plan) {
    response.fullBody().onComplete(ar -> {
      if (call.done()) {
        return;
      }
      if (ar.failed()) {
        call.fail(UpstreamException.fromTransport(call.exchange().backendName(), ar.cause()));
        return;
      }
      byte[] bytes = ar.result().getBytes();
      call.exchange().upstreamBody(bytes);
      Buffer body;
      try {
        body = plan.clientBody().shape(response.status(), bytes);
      } catch (RuntimeException e) {
        call.fail(e);
        return;
      }
      HttpServerResponse out = call.ctx().response();
      ForwardedHeaders.copyToClient(response.headers(), out.headers());
      if (call.exchange().translated() || !out.headers().contains(HttpHeaders.CONTENT_TYPE)) {
        out.headers().set(HttpHeaders.CONTENT_TYPE, "application/json");
      }
      // the span is closed before the last byte goes out, so a client that got its answer can query it
      if (response.status() >= 400) {
        call.upstreamError(response.status(), "upstream returned HTTP " + response.status() + ": " + excerpt(bytes));
      } else {
        call.succeed(response.status());
      }
      out.setStatusCode(response.status()).end(body);
    });
  }

  private static String excerpt(byte[] body) {
    String s = new String(body, StandardCharsets.UTF_8);
    return s.length() <= ERROR_EXCERPT_CHARS ? s : s.substring(0, ERROR_EXCERPT_CHARS) + "...";
  }
}
