package io.tracegate.upstream.mock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tracegate.protocol.sse.SseEvents;
import io.tracegate.protocol.translate.AnthropicToOpenAiRequest;
import io.tracegate.protocol.translate.OpenAiToAnthropicResponse;
import io.tracegate.protocol.translate.OpenAiToAnthropicStream;
import io.tracegate.protocol.translate.SystemPlacement;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The mock's Anthropic Messages surface ({@code POST /v1/messages}): the same tiny tool-using model as
 * {@link MockResponder} (the request goes through the gateway's own Anthropic to Chat translation, the answer
 * back), with Anthropic's usage, prompt cache included: {@link PromptCache} decides from the request's
 * {@code cache_control} breakpoints how much of the prompt is read from the cache, how much is written (5m and
 * 1h apart) and how much is uncached input. A stream carries that usage in {@code message_start} (and again,
 * with the output tokens, in {@code message_delta}), as Anthropic's streams do. Like Anthropic, it refuses a
 * request with more than four breakpoints (400 {@code invalid_request_error}).
 *
 * <p>Thread-safe.
 */
public final class MockMessages {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final MockResponder responder;
  private final PromptCache cache;

  /** A surface answering with {@code responder} and sharing the process-wide prompt cache. */
  public MockMessages(MockResponder responder) {
    this(responder, PromptCache.SHARED);
  }

  MockMessages(MockResponder responder, PromptCache cache) {
    this.responder = responder;
    this.cache = cache;
  }

  /** The {@code message} body answering {@code request} as {@code model}. */
  public ObjectNode nonStream(JsonNode request, String model, SystemPlacement placement) {
    ObjectNode chat = translate(request, model, placement);
    CacheablePrompt prompt = CacheablePrompt.of(request, model);
    ObjectNode message = OpenAiToAnthropicResponse.translate(
        responder.nonStream(MockResponder.Endpoint.CHAT_COMPLETIONS, chat, model), model);
    PromptCache.Use use = cache.use(prompt);
    message.set("usage", usage(use, message.path("usage").path("output_tokens").asLong(0)));
    return message;
  }

  /** The SSE frames ({@code event:} and {@code data:} lines) of the streamed answer, in order. */
  public List<byte[]> stream(JsonNode request, String model, SystemPlacement placement) {
    ObjectNode chat = translate(request, model, placement);
    chat.put("stream", true);
    chat.putObject("stream_options").put("include_usage", true);
    CacheablePrompt prompt = CacheablePrompt.of(request, model);
    List<ObjectNode> chunks = responder.streamChunks(MockResponder.Endpoint.CHAT_COMPLETIONS, chat, model);
    PromptCache.Use use = cache.use(prompt);
    OpenAiToAnthropicStream translator = new OpenAiToAnthropicStream(model);
    List<byte[]> frames = new ArrayList<>();
    for (ObjectNode chunk : chunks) {
      frames.addAll(translator.onChunk(chunk));
    }
    frames.addAll(translator.finish());
    List<byte[]> out = new ArrayList<>(frames.size());
    for (byte[] frame : frames) {
      out.add(withCacheUsage(frame, use));
    }
    return out;
  }

  private static ObjectNode translate(JsonNode request, String model, SystemPlacement placement) {
    if (request == null || !request.isObject()) {
      throw new IllegalArgumentException("request body must be a JSON object");
    }
    if (!request.path("messages").isArray() || request.path("messages").isEmpty()) {
      throw new IllegalArgumentException("messages: must be a non-empty array");
    }
    return AnthropicToOpenAiRequest.translate(request, model, null, null, placement).request();
  }

  /** {@code message_start} and {@code message_delta} get the cache split; other frames pass unchanged. */
  private static byte[] withCacheUsage(byte[] frame, PromptCache.Use use) {
    byte[] data = SseEvents.data(frame);
    if (data == null) {
      return frame;
    }
    try {
      JsonNode event = JSON.readTree(data);
      String type = event.path("type").asText();
      if (type.equals("message_start") && event.path("message").isObject()) {
        ((ObjectNode) event.get("message")).set("usage", usage(use, 1));
      } else if (type.equals("message_delta")) {
        long output = event.path("usage").path("output_tokens").asLong(0);
        ((ObjectNode) event).set("usage", usage(use, output));
      } else {
        return frame;
      }
      return ("event: " + type + "\ndata: " + JSON.writeValueAsString(event) + "\n\n")
          .getBytes(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static ObjectNode usage(PromptCache.Use use, long outputTokens) {
    ObjectNode u = JSON.createObjectNode();
    u.put("input_tokens", use.uncached());
    u.put("cache_creation_input_tokens", use.written());
    u.put("cache_read_input_tokens", use.read());
    u.putObject("cache_creation").put("ephemeral_5m_input_tokens", use.write5m())
        .put("ephemeral_1h_input_tokens", use.write1h());
    u.put("output_tokens", outputTokens);
    return u;
  }
}
