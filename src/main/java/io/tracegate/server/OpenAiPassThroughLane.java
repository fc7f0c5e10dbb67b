package io.tracegate.server;

import io.tracegate.protocol.openai.CaptureFields;
import io.tracegate.protocol.openai.RequestPeek;
import io.tracegate.protocol.openai.UsageChunk;
import io.tracegate.protocol.sse.SseEvents;
import io.tracegate.protocol.sse.SseWriter;
import io.tracegate.trace.Exchange;
import io.tracegate.upstream.Backend;
import io.tracegate.upstream.RequestRewriter;
import io.tracegate.upstream.UpstreamCall;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

/**
 * OpenAI client to OpenAI-compatible backend: the client's bytes go upstream with only top-level fields
 * spliced in (model, stream usage, capture options); the answer comes back untouched except for what the
 * gateway asked for on the client's behalf: the usage chunk, token ids and logprobs the client did not ask
 * for are recorded but not shown to it.
 */
final class OpenAiPassThroughLane implements Lane {
  private final String upstreamPath;
  private final boolean completions;

  OpenAiPassThroughLane(String upstreamPath) {
    this.upstreamPath = upstreamPath;
    this.completions = upstreamPath.equals("/completions");
  }

  @Override
  public String backendProtocol() {
    return "openai";
  }

  @Override
  public Plan plan(Exchange ex, RequestPeek peek, Backend backend, String backendModel, MultiMap clientHeaders,
      String query) {
    RequestRewriter.Rewritten body =
        RequestRewriter.forOpenAiBackend(ex.request(), peek, backendModel, backend.config(), completions);
    ex.upstreamRequest(body.changed() ? body.body() : null, body.usageInjected());
    boolean hideUsage = body.usageInjected();
    boolean hideIds = body.tokenIdsInjected();
    boolean hideLogprobs = body.logprobsInjected();
    ex.hiddenFromClient(hideIds, hideLogprobs);
    UpstreamCall call = new UpstreamCall(upstreamPath, Buffers.wrap(body.body()),
        ForwardedHeaders.toUpstream(clientHeaders, backendProtocol()), peek.stream());
    return new Plan(call, () -> (frame, toClient) -> {
      byte[] data = SseEvents.data(frame);
      if (data == null || SseEvents.isDoneData(data)) {
        toClient.accept(Buffer.buffer(frame));
        return;
      }
      ex.upstreamData(data);
      if (hideUsage && UsageChunk.isUsageOnly(data)) {
        return;
      }
      if (hideIds || hideLogprobs) {
        toClient.accept(Buffer.buffer(SseWriter.data(CaptureFields.strip(data, hideIds, hideLogprobs))));
      } else {
        toClient.accept(Buffer.buffer(frame));
      }
    }, hideIds || hideLogprobs
        // removing what the client did not ask for needs the whole answer
        ? (status, upstreamBody) -> status < 400
            ? Buffers.wrap(CaptureFields.strip(upstreamBody, hideIds, hideLogprobs))
            : Buffers.wrap(upstreamBody)
        : PASS_THROUGH);
  }
}
