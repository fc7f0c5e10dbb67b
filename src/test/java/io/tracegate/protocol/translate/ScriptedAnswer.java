package io.tracegate.protocol.translate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Test helper: one scripted OpenAI answer rendered both as a non-stream response and as a realistic
 * vLLM-style chunk sequence (role chunk, small fragments with token_ids, a token-ids-only chunk,
 * finish_reason chunk, then a usage-only chunk with cached tokens).
 */
record ScriptedAnswer(String reasoning, String text, List<Call> calls, String finishReason,
        JsonNode stopReason, int fragment) {

    record Call(String id, String name, String arguments) {
    }

    private static final JsonNodeFactory N = JsonNodeFactory.instance;
    static final String ID = "chatcmpl-42";

    ObjectNode usage() {
        ObjectNode u = N.objectNode().put("prompt_tokens", 1200).put("completion_tokens", 87).put("total_tokens", 1287);
        u.putObject("prompt_tokens_details").put("cached_tokens", 1024);
        return u;
    }

    ObjectNode nonStream() {
        ObjectNode r = N.objectNode().put("id", ID).put("object", "chat.completion").put("model", "qwen");
        ObjectNode choice = r.putArray("choices").addObject().put("index", 0);
        ObjectNode m = choice.putObject("message").put("role", "assistant");
        if (text == null) {
            m.putNull("content");
        } else {
            m.put("content", text);
        }
        if (reasoning != null) {
            m.put("reasoning_content", reasoning);
        }
        if (!calls.isEmpty()) {
            ArrayNode tc = m.putArray("tool_calls");
            for (Call c : calls) {
                tc.addObject().put("id", c.id()).put("type", "function").putObject("function")
                        .put("name", c.name()).put("arguments", c.arguments());
            }
        }
        choice.put("finish_reason", finishReason);
        if (stopReason != null) {
            choice.set("stop_reason", stopReason);
        }
        r.set("usage", usage());
        return r;
    }

    List<JsonNode> chunks() {
        List<JsonNode> out = new ArrayList<>();
        out.add(chunk(N.objectNode().put("role", "assistant").put("content", "")));
        int token = 100;
        for (String p : split(reasoning)) {
            out.add(withTokens(chunk(N.objectNode().put("reasoning_content", p)), token++));
        }
        out.add(withTokens(chunk(N.objectNode()), token++)); // empty delta, only token ids
        for (String p : split(text)) {
            out.add(withTokens(chunk(N.objectNode().put("content", p)), token++));
        }
        for (int i = 0; i < calls.size(); i++) {
            Call c = calls.get(i);
            ObjectNode d = N.objectNode();
            d.putArray("tool_calls").addObject().put("index", i).put("id", c.id()).put("type", "function")
                    .putObject("function").put("name", c.name()).put("arguments", "");
            out.add(chunk(d));
            for (String p : split(c.arguments())) {
                ObjectNode a = N.objectNode();
                a.putArray("tool_calls").addObject().put("index", i).putObject("function").put("arguments", p);
                out.add(withTokens(chunk(a), token++));
            }
        }
        ObjectNode last = chunk(N.objectNode());
        ObjectNode choice = (ObjectNode) last.get("choices").get(0);
        choice.put("finish_reason", finishReason);
        if (stopReason != null) {
            choice.set("stop_reason", stopReason);
        }
        out.add(last);
        ObjectNode usageChunk = N.objectNode().put("id", ID).put("object", "chat.completion.chunk");
        usageChunk.putArray("choices");
        usageChunk.set("usage", usage());
        out.add(usageChunk);
        return out;
    }

    private ObjectNode chunk(ObjectNode delta) {
        ObjectNode c = N.objectNode().put("id", ID).put("object", "chat.completion.chunk").put("model", "qwen");
        ObjectNode choice = c.putArray("choices").addObject().put("index", 0);
        choice.set("delta", delta);
        choice.putNull("finish_reason");
        c.putNull("usage");
        return c;
    }

    private static ObjectNode withTokens(ObjectNode chunk, int token) {
        ((ObjectNode) chunk.get("choices").get(0)).putArray("token_ids").add(token);
        return chunk;
    }

    private List<String> split(String s) {
        List<String> parts = new ArrayList<>();
        if (s == null) {
            return parts;
        }
        for (int i = 0; i < s.length(); i += fragment) {
            parts.add(s.substring(i, Math.min(s.length(), i + fragment)));
        }
        return parts;
    }
}
