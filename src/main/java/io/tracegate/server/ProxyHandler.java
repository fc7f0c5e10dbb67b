package io.tracegate.server;

import io.tracegate.auth.ActiveKey;
import io.tracegate.config.ModelConfig;
import io.tracegate.protocol.openai.MalformedRequestException;
import io.tracegate.protocol.openai.RequestPeek;
import io.tracegate.trace.Exchange;
import io.tracegate.upstream.BackendPool;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * One provider-compatible endpoint ({@code /v1/chat/completions}, {@code /v1/completions},
 * {@code /v1/messages}). Parses only what routing needs (model, stream) and finds the model's route; then
 * {@link BackendAttempts} picks the backend of each attempt, lets the {@link Lane} for (endpoint, backend
 * protocol) shape the upstream call and the answer, and retries what may be retried.
 */
final class ProxyHandler implements Handler<RoutingContext> {
  private final GatewayServices services;
  private final ProxyEndpoint endpoint;
  private final BackendAttempts attempts;

  ProxyHandler(GatewayServices services, BackendPool backends, ProxyEndpoint endpoint) {
    this.services = services;
    this.endpoint = endpoint;
    this.attempts = new BackendAttempts(backends, endpoint, services.metrics());
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
      ActiveKey key = call.ctx().get(AccessGuard.KEY);
      if (key != null) { // the key's models, budget and rates: 403 / 429 in the client's protocol, with a span
        key.admit(peek.model(), System.nanoTime());
      }
      // the model is known, no backend is chosen yet: the pause gate (POST /api/pause) passes at once unless
      // paused; a held request continues when released, and only then are backends tried
      services.pauseGate().admit(peek.model(), model.name(), call.context(), call.cancellation())
          .onComplete(gate -> {
            if (gate.failed()) {
              call.fail(gate.cause());
            } else if (call.admitted(gate.result())) {
              attempts.start(call, peek, model);
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
}
