package io.tracegate.server;

import io.tracegate.config.ModelConfig;
import io.tracegate.config.Provider;
import io.tracegate.protocol.openai.MalformedRequestException;
import io.tracegate.protocol.openai.RequestPeek;
import io.tracegate.protocol.openai.UsageChunk;
import io.tracegate.protocol.sse.SseEvents;
import io.tracegate.trace.Exchange;
import io.tracegate.upstream.Backend;
import io.tracegate.upstream.BackendPool;
import io.tracegate.upstream.RequestRewriter;
import io.tracegate.upstream.UpstreamCall;
import io.tracegate.upstream.UpstreamResponse;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

/**
 * OpenAI-protocol endpoints ({@code /v1/chat/completions}, {@code /v1/completions}) in front of
 * OpenAI-compatible backends. Parses only what routing needs (model, stream), rewrites the model name and
 * asks for usage in streams, then relays the answer untouched except for hiding the usage chunk from a client
 * that did not ask for it.
 */
final class OpenAiProxyHandler implements Handler<RoutingContext> {
  private final GatewayServices services;
  private final BackendPool backends;
  private final String endpoint;
  private final String upstreamPath;

  /**
   * @param endpoint canonical client path, e.g. {@code /v1/chat/completions}
   * @param upstreamPath path below the backend base URL, e.g. {@code /chat/completions}
   */
  OpenAiProxyHandler(GatewayServices services, BackendPool backends, String endpoint, String upstreamPath) {
    this.services = services;
    this.backends = backends;
    this.endpoint = endpoint;
    this.upstreamPath = upstreamPath;
  }

  @Override
  public void handle(RoutingContext ctx) {
    ProxyCall call = ProxyCalls.begin(ctx, services, "openai", endpoint, false);
    ProxyCalls.allocateSequence(call, services, () -> route(call));
  }

  private void route(ProxyCall call) {
    if (call.done()) {
      return;
    }
    Exchange ex = call.exchange();
    try {
      RequestPeek peek = parse(ex.request());
      ex.requested(peek.model(), peek.stream());
      ModelConfig model = services.router().route(peek.model()).orElseThrow(() -> ProxyCalls.unknownModel(
          peek.model(), services));
      Backend backend = backends.primary(model);
      if (backend.config().provider() == Provider.ANTHROPIC) {
        throw new GatewayException(GatewayException.Kind.UNSUPPORTED_ROUTE,
            "model '" + peek.model() + "' is served by an Anthropic backend; OpenAI-protocol clients cannot be "
                + "translated to it yet");
      }
      String backendModel = backend.config().backendModel(peek.model());
      RequestRewriter.Rewritten upstreamBody =
          RequestRewriter.forOpenAiBackend(ex.request(), peek, backendModel, backend.config(),
              upstreamPath.equals("/completions"));
      ex.routed(backend.config().provider().id(), backend.name(), backendModel, backend.config().baseUrl());
      ex.upstreamRequest(upstreamBody.changed() ? upstreamBody.body() : null, upstreamBody.usageInjected());
      boolean hideUsage = upstreamBody.usageInjected();
      UpstreamCall upstreamCall = new UpstreamCall(upstreamPath, Buffer.buffer(upstreamBody.body()),
          ForwardedHeaders.toUpstream(call.ctx().request().headers()), peek.stream());
      backend.send(upstreamCall).onComplete(ar -> {
        if (ar.failed()) {
          call.fail(ar.cause());
        } else {
          respond(call, ar.result(), hideUsage);
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

  private void respond(ProxyCall call, UpstreamResponse response, boolean hideUsage) {
    call.upstream(response);
    if (call.done()) {
      return;
    }
    Exchange ex = call.exchange();
    ex.upstreamStatus(response.status());
    String contentType = response.headers().get(HttpHeaders.CONTENT_TYPE);
    boolean sse = contentType != null && contentType.startsWith("text/event-stream");
    if (response.status() < 400 && sse) {
      new StreamRelay(call, response, (frame, toClient) -> {
        byte[] data = SseEvents.data(frame);
        if (data != null && !SseEvents.isDone(frame)) {
          ex.streamData(data);
          if (hideUsage && UsageChunk.isUsageOnly(data)) {
            return;
          }
        }
        toClient.accept(Buffer.buffer(frame));
      }).start(contentType);
      return;
    }
    ProxyCalls.relayWhole(call, response);
  }
}
