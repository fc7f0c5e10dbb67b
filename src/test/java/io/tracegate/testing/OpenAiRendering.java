package io.tracegate.testing;

import io.tracegate.testing.ScriptedAnswer.Part;
import io.tracegate.testing.ScriptedAnswer.Reasoning;
import io.tracegate.testing.ScriptedAnswer.Text;
import io.tracegate.testing.ScriptedAnswer.Tool;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/** Renders a {@link ScriptedAnswer} as OpenAI Chat Completions, whole or as chunks (vLLM-like details). */
final class OpenAiRendering {
  private static final String ID = "chatcmpl-scripted";

  private OpenAiRendering() {}

  static String finishReason(ScriptedAnswer s) {
    return switch (s.stop()) {
      case END -> "stop";
      case MAX_TOKENS -> "length";
      case TOOL_USE -> "tool_calls";
    };
  }

  static JsonObject usage(ScriptedAnswer s) {
    return new JsonObject().put("prompt_tokens", s.inputTokens()).put("completion_tokens", s.outputTokens())
        .put("total_tokens", s.inputTokens() + s.outputTokens())
        .put("prompt_tokens_details", new JsonObject().put("cached_tokens", s.cachedInputTokens()));
  }

  static JsonObject whole(ScriptedAnswer s, String model) {
    StringBuilder text = new StringBuilder();
    StringBuilder reasoning = new StringBuilder();
    JsonArray tools = new JsonArray();
    for (Part p : s.parts()) {
      if (p instanceof Text t) {
        text.append(t.text());
      } else if (p instanceof Reasoning r) {
        reasoning.append(r.text());
      } else if (p instanceof Tool t) {
        tools.add(new JsonObject().put("id", t.id()).put("type", "function")
            .put("function", new JsonObject().put("name", t.name()).put("arguments", t.argumentsJson())));
      }
    }
    JsonObject message = new JsonObject().put("role", "assistant")
        .put("content", text.length() == 0 ? null : text.toString());
    if (reasoning.length() > 0) {
      message.put("reasoning_content", reasoning.toString());
    }
    if (!tools.isEmpty()) {
      message.put("tool_calls", tools);
    }
    JsonObject choice = new JsonObject().put("index", 0).put("message", message).put("logprobs", null)
        .put("finish_reason", finishReason(s));
    return new JsonObject().put("id", ID).put("object", "chat.completion").put("created", 1700000000)
        .put("model", model).put("choices", new JsonArray().add(choice)).put("usage", usage(s));
  }

  static List<JsonObject> chunks(ScriptedAnswer s, String model, boolean includeUsage) {
    List<JsonObject> out = new ArrayList<>();
    out.add(chunk(model, new JsonObject().put("role", "assistant").put("content", ""), null, includeUsage));
    // vLLM may send chunks that carry only token ids and an empty delta
    JsonObject tokenOnly = chunk(model, new JsonObject(), null, includeUsage);
    tokenOnly.getJsonArray("choices").getJsonObject(0).put("token_ids", new JsonArray().add(42));
    out.add(tokenOnly);
    int toolIndex = 0;
    for (Part p : s.parts()) {
      if (p instanceof Text t) {
        for (String piece : pieces(t.text(), 4)) {
          out.add(chunk(model, new JsonObject().put("content", piece), null, includeUsage));
        }
      } else if (p instanceof Reasoning r) {
        for (String piece : pieces(r.text(), 4)) {
          out.add(chunk(model, new JsonObject().put("reasoning_content", piece), null, includeUsage));
        }
      } else if (p instanceof Tool t) {
        JsonObject start = new JsonObject().put("index", toolIndex).put("id", t.id()).put("type", "function")
            .put("function", new JsonObject().put("name", t.name()).put("arguments", ""));
        out.add(chunk(model, new JsonObject().put("tool_calls", new JsonArray().add(start)), null, includeUsage));
        for (String piece : pieces(t.argumentsJson(), 5)) {
          JsonObject frag = new JsonObject().put("index", toolIndex)
              .put("function", new JsonObject().put("arguments", piece));
          out.add(chunk(model, new JsonObject().put("tool_calls", new JsonArray().add(frag)), null, includeUsage));
        }
        toolIndex++;
      }
    }
    out.add(chunk(model, new JsonObject(), finishReason(s), includeUsage));
    if (includeUsage) {
      out.add(new JsonObject().put("id", ID).put("object", "chat.completion.chunk").put("created", 1700000000)
          .put("model", model).put("choices", new JsonArray()).put("usage", usage(s)));
    }
    return out;
  }

  private static JsonObject chunk(String model, JsonObject delta, String finish, boolean includeUsage) {
    JsonObject choice = new JsonObject().put("index", 0).put("delta", delta).put("logprobs", null)
        .put("finish_reason", finish);
    JsonObject c = new JsonObject().put("id", ID).put("object", "chat.completion.chunk").put("created", 1700000000)
        .put("model", model).put("choices", new JsonArray().add(choice));
    if (includeUsage) {
      c.putNull("usage");
    }
    return c;
  }

  static List<String> pieces(String s, int size) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < s.length(); i += size) {
      out.add(s.substring(i, Math.min(s.length(), i + size)));
    }
    return out;
  }
}
