package io.tracegate.server;

import io.tracegate.config.ModelConfig;
import io.tracegate.config.Provider;
import io.tracegate.protocol.openai.MalformedRequestException;
import io.tracegate.protocol.openai.RequestPeek;
import io.tracegate.trace.Exchange;
import io.tracegate.upstream.Backend;
import io.tracegate.upstream.BackendPool;
import io.tracegate.upstream.UpstreamResponse;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

/**
 * One provider-compatible endpoint ({@code /v1/chat/completions}, {@code /v1/completions},
 * {@code /v1/messages}). Parses only what routing needs (model, stream), picks the backend, then lets the
 * {@link Lane} for (endpoint, backend protocol) shape the upstream call and the answer.
 */
final class ProxyHandler implements Handler<RoutingContext> {
  private final GatewayServices services;
  private final BackendPool backends;
  private final ProxyEndpoint endpoint;

  ProxyHandler(GatewayServices services, BackendPool backends, ProxyEndpoint endpoint) {
    this.services = services;
    this.backends = backends;
    this.endpoint = endpoint;
  }

  @Override
  public void handle(RoutingContext ctx) {
    ProxyCall call = ProxyCalls.begin(ctx, services, endpoint.protocol(), endpoint.path(), endpoint.anthropic());
    ProxyCalls.allocateSequence(call, services, () -> route(call));
  }

  private void route(ProxyCall call) {
    if (call.done()) {
      return;
    }
    Exchange ex = call.exchange();
    try {
      RequestPeek peek = parse(ex.request());
      ex.requested(peek);
      ModelConfig model = services.router().route(peek.model())
          .orElseThrow(() -> ProxyCalls.unknownModel(peek.model(), services));
      // pause gate (POST /api/pause): passes at once unless paused; a held request continues when released
      services.pauseGate().admit(peek.model(), model.name(), call.context(), call.cancellation())
          .onComplete(gate -> {
            if (gate.failed()) {
              call.fail(gate.cause());
            } else if (call.admitted(gate.result())) {
              send(call, peek, model);
            }
          });
    } catch (RuntimeException e) {
      call.fail(e);
    }
  }

  private void send(ProxyCall call, RequestPeek peek, ModelConfig model) {
    Exchange ex = call.exchange();
    try {
      Backend backend = backends.primary(model);
      Lane lane = endpoint.lane(backend.config().provider() == Provider.ANTHROPIC);
      String backendModel = backend.config().backendModel(peek.model());
      ex.routed(backend.config().provider().id(), backend.name(), backendModel, backend.config().baseUrl(),
          lane.backendProtocol());
      Lane.Plan plan = lane.plan(ex, peek, backend, backendModel, call.ctx().request().headers(),
          call.ctx().request().query());
      long sentAt = System.nanoTime();
      backend.send(plan.call(), call.cancellation()).onComplete(ar -> {
        // the one try of today's single send (a retry loop records one per try)
        ex.attempt(UpstreamAttempts.of(backend.name(), ar, sentAt));
        if (ar.failed()) {
          call.fail(ar.cause());
        } else {
          respond(call, ar.result(), plan);
        }
      });
    } catch (RuntimeException e) {
      call.fail(e);
    }
  }

  private static RequestPeek parse(byte[] body) {
    RequestPeek peek;
    try {
      peek = RequestPeek.parse(body);
    } catch (MalformedRequestException e) {
      throw new GatewayException(GatewayException.Kind.MALFORMED_JSON, "request body is not valid JSON: "
          + e.getMessage());
    }
    if (peek.model() == null) {
      throw new GatewayException(GatewayException.Kind.INVALID_REQUEST,
          peek.modelNotString() ? "'model' must be a string" : "missing required field 'model'");
    }
    return peek;
  }

  private static void respond(ProxyCall call, UpstreamResponse response, Lane.Plan plan) {
    call.upstream(response);
    if (call.done()) {
      return;
    }
    Exchange ex = call.exchange();
    ex.upstreamStatus(response.status());
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
}
