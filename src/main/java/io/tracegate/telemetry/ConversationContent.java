package io.tracegate.telemetry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.AttributesBuilder;
import io.tracegate.trace.RawJson;
import io.tracegate.trace.Span;

/**
 * The conversation of a model call in the GenAI conventions' message format (opt-in,
 * {@code telemetry.otlp.content: true}): {@code gen_ai.input.messages}, {@code gen_ai.output.messages} and
 * {@code gen_ai.system_instructions} as JSON strings of {@code {role, parts: [{type, ...}]}} objects, read from the
 * client-facing request and response of either protocol (OpenAI Chat/Completions, Anthropic Messages).
 * Parts: {@code text}, {@code reasoning}, {@code tool_call {id, name, arguments}},
 * {@code tool_call_response {id, response}}; any other block keeps its type and is otherwise left out.
 */
final class ConversationContent {
  static final String INPUT_MESSAGES = "gen_ai.input.messages";
  static final String OUTPUT_MESSAGES = "gen_ai.output.messages";
  static final String SYSTEM_INSTRUCTIONS = "gen_ai.system_instructions";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  void put(Span s, AttributesBuilder b) {
    JsonNode request = RawJson.materialize(s.request());
    JsonNode response = RawJson.materialize(s.response());
    boolean anthropic = "anthropic".equals(s.frontendProtocol());
    if (request != null && request.isObject()) {
      ArrayNode input = F.arrayNode();
      if (anthropic) {
        JsonNode system = request.get("system");
        if (system != null && !system.isNull()) {
          putJson(b, SYSTEM_INSTRUCTIONS, parts(system, true));
        }
      }
      for (JsonNode m : request.path("messages")) {
        input.add(message(m, anthropic));
      }
      JsonNode prompt = request.get("prompt");
      if (prompt != null && prompt.isTextual()) {
        input.add(message("user", textParts(prompt.asText()), null));
      }
      if (!input.isEmpty()) {
        putJson(b, INPUT_MESSAGES, input);
      }
    }
    if (response != null && response.isObject()) {
      ArrayNode output = F.arrayNode();
      if (anthropic) {
        if (response.has("content")) {
          output.add(message("assistant", parts(response.get("content"), true), response.path("stop_reason")));
        }
      } else {
        for (JsonNode choice : response.path("choices")) {
          JsonNode finish = choice.path("finish_reason");
          if (choice.has("message")) {
            JsonNode m = choice.get("message");
            ArrayNode parts = F.arrayNode();
            addText(parts, "reasoning", m.path("reasoning_content"));
            parts.addAll(parts(m.path("content"), false));
            toolCalls(parts, m.path("tool_calls"));
            output.add(message(m.path("role").asText("assistant"), parts, finish));
          } else if (choice.has("text")) {
            output.add(message("assistant", textParts(choice.get("text").asText()), finish));
          }
        }
      }
      if (!output.isEmpty()) {
        putJson(b, OUTPUT_MESSAGES, output);
      }
    }
  }

  private static ObjectNode message(JsonNode m, boolean anthropic) {
    String role = m.path("role").asText("user");
    ArrayNode parts = F.arrayNode();
    if ("tool".equals(role) && !anthropic) { // OpenAI: a tool result is a message of its own
      ObjectNode r = parts.addObject().put("type", "tool_call_response");
      r.put("id", m.path("tool_call_id").asText(null));
      r.set("response", m.path("content").isTextual() ? m.get("content") : m.path("content"));
      return message(role, parts, null);
    }
    addText(parts, "reasoning", m.path("reasoning_content"));
    parts.addAll(parts(m.path("content"), anthropic));
    toolCalls(parts, m.path("tool_calls"));
    return message(role, parts, null);
  }

  private static ObjectNode message(String role, ArrayNode parts, JsonNode finishReason) {
    ObjectNode m = F.objectNode().put("role", role);
    m.set("parts", parts);
    if (finishReason != null && finishReason.isTextual()) {
      m.put("finish_reason", finishReason.asText());
    }
    return m;
  }

  /** The parts of a content value: a string, or a list of blocks (OpenAI content parts, Anthropic blocks). */
  private static ArrayNode parts(JsonNode content, boolean anthropic) {
    ArrayNode parts = F.arrayNode();
    if (content == null || content.isNull() || content.isMissingNode()) {
      return parts;
    }
    if (content.isTextual()) {
      return textParts(content.asText());
    }
    for (JsonNode block : content) {
      String type = block.path("type").asText("");
      switch (type) {
        case "text" -> addText(parts, "text", block.path("text"));
        case "thinking" -> addText(parts, "reasoning", block.path("thinking"));
        case "tool_use" -> {
          ObjectNode call = parts.addObject().put("type", "tool_call");
          call.put("id", block.path("id").asText(null));
          call.put("name", block.path("name").asText(null));
          call.set("arguments", block.path("input"));
        }
        case "tool_result" -> {
          ObjectNode r = parts.addObject().put("type", "tool_call_response");
          r.put("id", block.path("tool_use_id").asText(null));
          r.set("response", block.has("content") ? block.get("content") : F.nullNode());
        }
        default -> parts.addObject().put("type", type.isEmpty() ? "unknown" : type);
      }
    }
    return parts;
  }

  private static void toolCalls(ArrayNode parts, JsonNode calls) {
    for (JsonNode c : calls) {
      ObjectNode call = parts.addObject().put("type", "tool_call");
      call.put("id", c.path("id").asText(null));
      call.put("name", c.path("function").path("name").asText(null));
      JsonNode arguments = c.path("function").path("arguments");
      call.set("arguments", arguments.isMissingNode() ? F.nullNode() : arguments);
    }
  }

  private static ArrayNode textParts(String text) {
    ArrayNode parts = F.arrayNode();
    parts.addObject().put("type", "text").put("content", text);
    return parts;
  }

  private static void addText(ArrayNode parts, String type, JsonNode text) {
    if (text != null && text.isTextual() && !text.asText().isEmpty()) {
      parts.addObject().put("type", type).put("content", text.asText());
    }
  }

  private static void putJson(AttributesBuilder b, String key, JsonNode value) {
    try {
      b.put(AttributeKey.stringKey(key), JSON.writeValueAsString(value));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      // a tree built here always serialises; nothing to add otherwise
    }
  }
}
