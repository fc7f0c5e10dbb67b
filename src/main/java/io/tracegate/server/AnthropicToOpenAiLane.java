package io.tracegate.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tracegate.protocol.json.RawStringTree;
import io.tracegate.protocol.openai.RequestPeek;
import io.tracegate.protocol.translate.AnthropicToOpenAiRequest;
import io.tracegate.protocol.translate.OpenAiToAnthropicResponse;
import io.tracegate.protocol.translate.OpenAiToAnthropicStream;
import io.tracegate.trace.Exchange;
import io.tracegate.upstream.Backend;
import io.tracegate.upstream.RequestRewriter;
import io.tracegate.upstream.UpstreamCall;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

/**
 * Anthropic Messages client (Claude Code, Anthropic SDKs) to an OpenAI-compatible backend (vLLM, SGLang,
 * OpenAI): the request is translated to Chat Completions (plus the backend's capture options), the answer
 * back to a Message; streams are translated chunk by chunk as they arrive. The client's credentials never
 * travel to the other protocol's backend.
 */
final class AnthropicToOpenAiLane implements Lane {

  @Override
  public String backendProtocol() {
    return "openai";
  }

  @Override
  public Plan plan(Exchange ex, RequestPeek peek, Backend backend, String backendModel, MultiMap clientHeaders,
      String query) {
    RawStringTree parsed = TranslatingLanes.parseRequest(ex.request());
    AnthropicToOpenAiRequest.Result translated = AnthropicToOpenAiRequest.translate(parsed.tree(), backendModel);
    ObjectNode request = translated.request();
    RequestRewriter.applyCapture(request, backend.config(), false);
    byte[] body = parsed.write(request);
    ex.upstreamRequest(body, peek.stream());
    TranslatingLanes.recordDropped(ex, translated.dropped());
    UpstreamCall call = new UpstreamCall("/chat/completions", Buffers.wrap(body), MultiMap.caseInsensitiveMultiMap(),
        peek.stream());
    return new Plan(call, () -> {
      OpenAiToAnthropicStream translator = new OpenAiToAnthropicStream(ex.frontendModel());
      return TranslatingLanes.translating(ex, translator::onChunk, translator::finish);
    }, TranslatingLanes.translatedBody(ex, true,
        answer -> OpenAiToAnthropicResponse.translate(answer, ex.frontendModel())));
  }
}
