package io.tracegate.server;

import io.tracegate.protocol.openai.JsonSplicer;
import io.tracegate.protocol.openai.RequestPeek;
import io.tracegate.protocol.openai.TopLevelEdit;
import io.tracegate.protocol.sse.SseEvents;
import io.tracegate.trace.Exchange;
import io.tracegate.upstream.Backend;
import io.tracegate.upstream.UpstreamCall;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.util.List;

/**
 * Anthropic client to Anthropic backend: the body goes upstream byte for byte except {@code model}
 * (cache_control, thinking and signatures, context_management, metadata and unknown fields untouched), with
 * {@code anthropic-version}/{@code anthropic-beta} and the query string (Claude Code's {@code ?beta=true})
 * forwarded. Events come back untouched.
 */
final class AnthropicPassThroughLane implements Lane {
  private final String upstreamPath;

  AnthropicPassThroughLane(String upstreamPath) {
    this.upstreamPath = upstreamPath;
  }

  @Override
  public String backendProtocol() {
    return "anthropic";
  }

  @Override
  public Plan plan(Exchange ex, RequestPeek peek, Backend backend, String backendModel, MultiMap clientHeaders,
      String query) {
    byte[] body = ex.request();
    if (!backendModel.equals(peek.model())) {
      body = JsonSplicer.apply(body, peek, List.of(TopLevelEdit.setString("model", backendModel)));
      ex.upstreamRequest(body, false);
    }
    String path = query == null || query.isEmpty() ? upstreamPath : upstreamPath + "?" + query;
    UpstreamCall call = new UpstreamCall(path, Buffers.wrap(body), ForwardedHeaders.toUpstream(clientHeaders, backendProtocol()),
        peek.stream());
    return new Plan(call, () -> (frame, toClient) -> {
      byte[] data = SseEvents.data(frame);
      if (data != null) {
        ex.upstreamData(data);
      }
      toClient.accept(Buffer.buffer(frame));
    }, PASS_THROUGH);
  }
}
