package io.tracegate.testing;

import io.tracegate.testing.ScriptedAnswer.Part;
import io.tracegate.testing.ScriptedAnswer.Reasoning;
import io.tracegate.testing.ScriptedAnswer.Text;
import io.tracegate.testing.ScriptedAnswer.Tool;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/** Renders a {@link ScriptedAnswer} as an Anthropic Message, whole or as the Messages stream events. */
final class AnthropicRendering {
  private static final String ID = "msg_scripted";
  static final String SIGNATURE = "c2lnbmF0dXJl";

  private AnthropicRendering() {}

  static String stopReason(ScriptedAnswer s) {
    return switch (s.stop()) {
      case END -> "end_turn";
      case MAX_TOKENS -> "max_tokens";
      case TOOL_USE -> "tool_use";
    };
  }

  static JsonObject usage(ScriptedAnswer s, boolean startEvent) {
    return new JsonObject()
        .put("input_tokens", s.inputTokens() - s.cachedInputTokens())
        .put("cache_creation_input_tokens", 0)
        .put("cache_read_input_tokens", s.cachedInputTokens())
        .put("output_tokens", startEvent ? 1 : s.outputTokens());
  }

  static JsonObject whole(ScriptedAnswer s, String model) {
    JsonArray content = new JsonArray();
    for (Part p : s.parts()) {
      if (p instanceof Text t) {
        content.add(new JsonObject().put("type", "text").put("text", t.text()));
      } else if (p instanceof Reasoning r) {
        content.add(new JsonObject().put("type", "thinking").put("thinking", r.text()).put("signature", SIGNATURE));
      } else if (p instanceof Tool t) {
        content.add(new JsonObject().put("type", "tool_use").put("id", t.id()).put("name", t.name())
            .put("input", new JsonObject(t.argumentsJson())));
      }
    }
    return new JsonObject().put("id", ID).put("type", "message").put("role", "assistant").put("model", model)
        .put("content", content).put("stop_reason", stopReason(s)).put("stop_sequence", null)
        .put("usage", usage(s, false));
  }

  static List<JsonObject> events(ScriptedAnswer s, String model) {
    List<JsonObject> out = new ArrayList<>();
    JsonObject message = new JsonObject().put("id", ID).put("type", "message").put("role", "assistant")
        .put("model", model).put("content", new JsonArray()).put("stop_reason", null).put("stop_sequence", null)
        .put("usage", usage(s, true));
    out.add(new JsonObject().put("type", "message_start").put("message", message));
    out.add(new JsonObject().put("type", "ping"));
    int index = 0;
    for (Part p : s.parts()) {
      if (p instanceof Text t) {
        out.add(start(index, new JsonObject().put("type", "text").put("text", "")));
        for (String piece : OpenAiRendering.pieces(t.text(), 4)) {
          out.add(delta(index, new JsonObject().put("type", "text_delta").put("text", piece)));
        }
      } else if (p instanceof Reasoning r) {
        out.add(start(index, new JsonObject().put("type", "thinking").put("thinking", "").put("signature", "")));
        for (String piece : OpenAiRendering.pieces(r.text(), 4)) {
          out.add(delta(index, new JsonObject().put("type", "thinking_delta").put("thinking", piece)));
        }
        out.add(delta(index, new JsonObject().put("type", "signature_delta").put("signature", SIGNATURE)));
      } else if (p instanceof Tool t) {
        out.add(start(index, new JsonObject().put("type", "tool_use").put("id", t.id()).put("name", t.name())
            .put("input", new JsonObject())));
        for (String piece : OpenAiRendering.pieces(t.argumentsJson(), 5)) {
          out.add(delta(index, new JsonObject().put("type", "input_json_delta").put("partial_json", piece)));
        }
      }
      out.add(new JsonObject().put("type", "content_block_stop").put("index", index));
      index++;
    }
    out.add(new JsonObject().put("type", "message_delta")
        .put("delta", new JsonObject().put("stop_reason", stopReason(s)).put("stop_sequence", null))
        .put("usage", new JsonObject().put("output_tokens", s.outputTokens())));
    out.add(new JsonObject().put("type", "message_stop"));
    return out;
  }

  private static JsonObject start(int index, JsonObject block) {
    return new JsonObject().put("type", "content_block_start").put("index", index).put("content_block", block);
  }

  private static JsonObject delta(int index, JsonObject delta) {
    return new JsonObject().put("type", "content_block_delta").put("index", index).put("delta", delta);
  }
}
