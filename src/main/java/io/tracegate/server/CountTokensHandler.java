package io.tracegate.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tracegate.config.ModelConfig;
import io.tracegate.config.Provider;
import io.tracegate.protocol.anthropic.TokenEstimator;
import io.tracegate.protocol.openai.JsonSplicer;
import io.tracegate.protocol.openai.MalformedRequestException;
import io.tracegate.protocol.openai.RequestPeek;
import io.tracegate.protocol.openai.TopLevelEdit;
import io.tracegate.upstream.Backend;
import io.tracegate.upstream.BackendPool;
import io.tracegate.upstream.UpstreamCall;
import io.tracegate.upstream.UpstreamException;
import io.tracegate.upstream.routing.BackendHealth;
import io.tracegate.upstream.routing.RouteBackend;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/**
 * {@code POST /v1/messages/count_tokens}: passed through to the model's first Anthropic backend that has its key
 * and is not cooling down (the first one with its key when all are); when the model has none, or that backend
 * cannot be reached or does not answer in time, the gateway estimates the count locally and says so (header
 * {@code tracegate-token-count: estimate} and {@code "estimated": true} in the body): a count is advice, and
 * an agent asking for one should not fail because of it. Not an LLM call, so it records no span.
 */
final class CountTokensHandler implements Handler<RoutingContext> {
  static final String ESTIMATE_HEADER = "tracegate-token-count";
  private final GatewayServices services;
  private final BackendPool backends;

  CountTokensHandler(GatewayServices services, BackendPool backends) {
    this.services = services;
    this.backends = backends;
  }

  @Override
  public void handle(RoutingContext ctx) {
    byte[] body = ctx.body() == null || ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes();
    RequestPeek peek;
    try {
      peek = RequestPeek.parse(body);
    } catch (MalformedRequestException e) {
      ctx.fail(new GatewayException(GatewayException.Kind.MALFORMED_JSON, "request body is not valid JSON: "
          + e.getMessage()));
      return;
    }
    if (peek.model() == null) {
      ctx.fail(new GatewayException(GatewayException.Kind.INVALID_REQUEST, "missing required field 'model'"));
      return;
    }
    ModelConfig model = services.router().route(peek.model()).orElse(null);
    if (model == null) {
      ctx.fail(ProxyCalls.unknownModel(peek.model(), services));
      return;
    }
    Backend backend = anthropicBackend(model);
    if (backend == null) {
      estimate(ctx, body);
      return;
    }
    String backendModel = backend.config().backendModel(peek.model());
    byte[] upstreamBody = backendModel.equals(peek.model()) ? body
        : JsonSplicer.apply(body, peek, List.of(TopLevelEdit.setString("model", backendModel)));
    String query = ctx.request().query();
    String path = "/v1/messages/count_tokens" + (query == null || query.isEmpty() ? "" : "?" + query);
    backend.send(new UpstreamCall(path, Buffer.buffer(upstreamBody),
            ForwardedHeaders.toUpstream(ctx.request().headers(), "anthropic"), false))
        .compose(response -> response.fullBody().map(b -> {
          ForwardedHeaders.copyToClient(response.headers(), ctx.response().headers());
          ctx.response().setStatusCode(response.status()).end(b);
          return null;
        }))
        .onFailure(t -> {
          if (t instanceof UpstreamException u && unanswered(u) && !ctx.response().headWritten()) {
            estimate(ctx, body);
          } else {
            ctx.fail(t);
          }
        });
  }

  /** The first Anthropic backend with its key that is not cooling down, else the first with its key, else null. */
  private Backend anthropicBackend(ModelConfig model) {
    RouteBackend fallback = null;
    for (RouteBackend b : backends.routes().of(model).backends()) {
      if (b.config().provider() != Provider.ANTHROPIC || b.config().apiKey().isMissing()) {
        continue;
      }
      if (b.health().state() == BackendHealth.State.HEALTHY) {
        return backends.of(model, b.index());
      }
      if (fallback == null) {
        fallback = b;
      }
    }
    return fallback == null ? null : backends.of(model, fallback.index());
  }

  private static boolean unanswered(UpstreamException u) {
    return switch (u.reason()) {
      case UNREACHABLE, TIMEOUT, NO_CONNECTION -> true;
      default -> false;
    };
  }

  private static void estimate(RoutingContext ctx, byte[] body) {
    // tokenising a Claude Code-sized request takes milliseconds: not on the event loop
    ctx.vertx().executeBlocking(() -> {
      ObjectNode answer = TokenEstimator.countTokens(TranslatingLanes.parseRequest(body).tree());
      answer.put("estimated", true);
      return Buffer.buffer(TranslatingLanes.serialize(answer));
    }, false).onSuccess(answer -> ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .putHeader(ESTIMATE_HEADER, "estimate").end(answer)).onFailure(ctx::fail);
  }
}
