package io.tracegate.server;

import io.tracegate.protocol.json.RawStringTree;
import io.tracegate.protocol.openai.RequestPeek;
import io.tracegate.protocol.translate.AnthropicToOpenAiResponse;
import io.tracegate.protocol.translate.AnthropicToOpenAiStream;
import io.tracegate.protocol.translate.OpenAiToAnthropicRequest;
import io.tracegate.trace.Exchange;
import io.tracegate.upstream.Backend;
import io.tracegate.upstream.HttpBackend;
import io.tracegate.upstream.UpstreamCall;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

/**
 * OpenAI Chat Completions client to an Anthropic backend, so one config serves both kinds of client: the
 * request becomes a Messages request, the answer (and each stream event, as it arrives) becomes Chat
 * Completions. The usage chunk is sent only to a client that asked for it.
 */
final class OpenAiToAnthropicLane implements Lane {

  @Override
  public String backendProtocol() {
    return "anthropic";
  }

  @Override
  public Plan plan(Exchange ex, RequestPeek peek, Backend backend, String backendModel, MultiMap clientHeaders,
      String query) {
    RawStringTree parsed = TranslatingLanes.parseRequest(ex.request());
    OpenAiToAnthropicRequest.Result translated = OpenAiToAnthropicRequest.translate(parsed.tree(), backendModel);
    byte[] body = parsed.write(translated.request());
    ex.upstreamRequest(body, false);
    TranslatingLanes.recordDropped(ex, translated.dropped());
    MultiMap headers = MultiMap.caseInsensitiveMultiMap()
        .set("anthropic-version", HttpBackend.DEFAULT_ANTHROPIC_VERSION);
    UpstreamCall call = new UpstreamCall("/v1/messages", Buffers.wrap(body), headers, peek.stream());
    boolean includeUsage = peek.includeUsage();
    return new Plan(call, () -> {
      AnthropicToOpenAiStream translator = new AnthropicToOpenAiStream(ex.frontendModel());
      return TranslatingLanes.translating(ex, translator::onEvent, () -> translator.finish(includeUsage));
    }, TranslatingLanes.translatedBody(ex, false,
        answer -> AnthropicToOpenAiResponse.translate(answer, ex.frontendModel())));
  }
}
