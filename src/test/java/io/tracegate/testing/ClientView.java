package io.tracegate.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tracegate.protocol.anthropic.AnthropicStreamAssembler;
import io.tracegate.protocol.openai.ChatStreamAssembler;
import io.tracegate.protocol.sse.SseEvents;
import io.tracegate.protocol.sse.SseFrameSplitter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * What a client of each protocol makes of an answer, reduced to what must agree between stream and
 * non-stream: content (text, reasoning/thinking, tool calls with ids, names and parsed arguments), stop
 * reason and usage. Ids of the message itself and timestamps are left out.
 */
public final class ClientView {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ClientView() {}

  /** Parses an SSE body into its data payloads (ignores [DONE]). */
  public static List<JsonNode> ssePayloads(String body) throws IOException {
    List<byte[]> frames = new ArrayList<>();
    SseFrameSplitter splitter = new SseFrameSplitter();
    splitter.feed(body.getBytes(StandardCharsets.UTF_8), frames::add);
    byte[] rest = splitter.finish(frames::add);
    if (rest != null) {
      frames.add(rest);
    }
    List<JsonNode> out = new ArrayList<>();
    for (byte[] f : frames) {
      byte[] data = SseEvents.data(f);
      if (data != null && !SseEvents.isDone(f)) {
        out.add(JSON.readTree(data));
      }
    }
    return out;
  }

  public static JsonNode assembleOpenAi(List<JsonNode> chunks) {
    ChatStreamAssembler a = new ChatStreamAssembler();
    chunks.forEach(a::feed);
    return a.result();
  }

  public static JsonNode assembleAnthropic(List<JsonNode> events) {
    AnthropicStreamAssembler a = new AnthropicStreamAssembler();
    events.forEach(a::feed);
    return a.result();
  }

  /** The comparable projection of an OpenAI chat.completion. */
  public static ObjectNode openAi(JsonNode response) throws IOException {
    ObjectNode out = JSON.createObjectNode();
    JsonNode choice = response.path("choices").path(0);
    JsonNode message = choice.path("message");
    out.put("content", message.path("content").isTextual() && !message.path("content").asText().isEmpty()
        ? message.path("content").asText() : null);
    out.put("reasoning", message.path("reasoning_content").isTextual()
        ? message.path("reasoning_content").asText() : null);
    ArrayNode tools = out.putArray("tool_calls");
    for (JsonNode t : message.path("tool_calls")) {
      tools.addObject().put("id", t.path("id").asText()).put("name", t.path("function").path("name").asText())
          .set("arguments", JSON.readTree(t.path("function").path("arguments").asText()));
    }
    out.put("finish_reason", choice.path("finish_reason").asText());
    JsonNode usage = response.path("usage");
    out.put("prompt_tokens", usage.path("prompt_tokens").asLong());
    out.put("completion_tokens", usage.path("completion_tokens").asLong());
    out.put("cached_tokens", usage.path("prompt_tokens_details").path("cached_tokens").asLong());
    return out;
  }

  /** The comparable projection of an Anthropic message. */
  public static ObjectNode anthropic(JsonNode message) {
    ObjectNode out = JSON.createObjectNode();
    ArrayNode blocks = out.putArray("content");
    for (JsonNode b : message.path("content")) {
      ObjectNode block = blocks.addObject().put("type", b.path("type").asText());
      switch (b.path("type").asText()) {
        case "text" -> block.put("text", b.path("text").asText());
        case "thinking" -> block.put("thinking", b.path("thinking").asText());
        case "tool_use" -> block.put("id", b.path("id").asText()).put("name", b.path("name").asText())
            .set("input", b.path("input"));
        default -> block.set("raw", b);
      }
    }
    out.put("stop_reason", message.path("stop_reason").asText());
    JsonNode usage = message.path("usage");
    out.put("input_tokens", usage.path("input_tokens").asLong());
    out.put("output_tokens", usage.path("output_tokens").asLong());
    out.put("cache_read_input_tokens", usage.path("cache_read_input_tokens").asLong());
    return out;
  }
}
