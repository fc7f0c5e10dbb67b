package io.tracegate.protocol.translate;

import static io.tracegate.protocol.translate.ChatJson.NODES;
import static io.tracegate.protocol.translate.ChatJson.absent;
import static io.tracegate.protocol.translate.ChatJson.str;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Converts the Chat Completions {@code messages} array into Anthropic's {@code system} string and
 * alternating {@code messages}.
 *
 * <ul>
 *   <li>system and developer messages, wherever they appear, are joined (in order, with a blank line)
 *       into the top-level system string;</li>
 *   <li>assistant {@code tool_calls} (and legacy {@code function_call}) become {@code tool_use}
 *       blocks; {@code tool} (and legacy {@code function}) messages become {@code tool_result}
 *       blocks in a user message;</li>
 *   <li>consecutive messages of the same role are merged into one (so parallel tool results land in
 *       one user message); inside a user message, tool results come first, as Anthropic requires;</li>
 *   <li>a conversation that starts with an assistant message (or has no message) gets a placeholder
 *       user message {@code "."} in front (listed);</li>
 *   <li>trailing whitespace of a final assistant message (a prefill) is trimmed.</li>
 * </ul>
 */
final class ChatMessagesToAnthropic {

    /** Text of the placeholder user message inserted when the conversation does not start with one. */
    static final String PLACEHOLDER_USER_TEXT = ".";

    /** The converted system text ({@code null} when none) and messages. */
    record Converted(String system, ArrayNode messages) {
    }

    private record Turn(String role, ArrayNode blocks) {
    }

    private final List<String> dropped;
    private final List<String> system = new ArrayList<>();
    private final List<Turn> turns = new ArrayList<>();
    private final Map<String, Deque<String>> legacyCalls = new HashMap<>();
    private int generatedIds;

    private ChatMessagesToAnthropic(List<String> dropped) {
        this.dropped = dropped;
    }

    static Converted convert(JsonNode messages, List<String> dropped) {
        ChatMessagesToAnthropic c = new ChatMessagesToAnthropic(dropped);
        if (messages != null && messages.isArray()) {
            for (int i = 0; i < messages.size(); i++) {
                c.accept(messages.get(i), "messages[" + i + "]");
            }
        } else if (!absent(messages)) {
            dropped.add("messages (not an array)");
        }
        return c.result();
    }

    private void accept(JsonNode m, String path) {
        if (m == null || !m.isObject()) {
            dropped.add(path + " (not an object)");
            return;
        }
        String role = str(m.get("role"));
        ArrayNode blocks = NODES.arrayNode();
        if ("system".equals(role) || "developer".equals(role)) {
            String text = ChatContentToAnthropic.text(m.get("content"), path + ".content", dropped);
            if (!text.isBlank()) {
                system.add(text);
            }
            return;
        } else if ("user".equals(role)) {
            ChatContentToAnthropic.appendUserBlocks(m.get("content"), path + ".content", blocks, dropped);
        } else if ("assistant".equals(role)) {
            assistant(m, path, blocks);
        } else if ("tool".equals(role)) {
            String id = str(m.get("tool_call_id"));
            if (id == null || id.isEmpty()) {
                dropped.add(path + " (tool message without tool_call_id)");
                return;
            }
            blocks.add(toolResult(id, m.get("content"), path));
            role = "user";
        } else if ("function".equals(role)) {
            String name = str(m.get("name"));
            Deque<String> pending = name == null ? null : legacyCalls.get(name);
            if (pending == null || pending.isEmpty()) {
                dropped.add(path + " (function result without a matching function_call)");
                return;
            }
            blocks.add(toolResult(pending.removeFirst(), m.get("content"), path));
            role = "user";
        } else {
            dropped.add(path + " (unsupported role " + role + ")");
            return;
        }
        if (blocks.isEmpty()) {
            dropped.add(path + " (empty content)");
            return;
        }
        turns.add(new Turn(role, blocks));
    }

    private void assistant(JsonNode m, String path, ArrayNode blocks) {
        for (String key : new String[] {"reasoning_content", "reasoning"}) {
            if (!absent(m.get(key))) {
                dropped.add(path + "." + key + " (thinking cannot be replayed without its signature)");
            }
        }
        ChatContentToAnthropic.addText(blocks, ChatContentToAnthropic.text(m.get("content"), path + ".content", dropped), null);
        JsonNode calls = m.get("tool_calls");
        if (calls != null && calls.isArray()) {
            for (int i = 0; i < calls.size(); i++) {
                JsonNode call = calls.get(i);
                String callPath = path + ".tool_calls[" + i + "]";
                JsonNode fn = call.path("function");
                String name = str(fn.get("name"));
                if (name == null || name.isEmpty()) {
                    dropped.add(callPath + " (no function name)");
                    continue;
                }
                String id = str(call.get("id"));
                blocks.add(toolUse(id == null || id.isEmpty() ? generatedId() : id, name, fn.get("arguments"), callPath));
            }
        } else if (!absent(calls)) {
            dropped.add(path + ".tool_calls (not an array)");
        }
        JsonNode legacy = m.get("function_call");
        if (legacy != null && legacy.isObject()) {
            String name = str(legacy.get("name"));
            if (name == null || name.isEmpty()) {
                dropped.add(path + ".function_call (no function name)");
            } else {
                String id = generatedId();
                legacyCalls.computeIfAbsent(name, k -> new ArrayDeque<>()).addLast(id);
                blocks.add(toolUse(id, name, legacy.get("arguments"), path + ".function_call"));
            }
        }
    }

    private ObjectNode toolUse(String id, String name, JsonNode arguments, String path) {
        ObjectNode block = NODES.objectNode();
        block.put("type", "tool_use");
        block.put("id", id);
        block.put("name", name);
        block.set("input", input(arguments, path));
        return block;
    }

    /** Parses function arguments into an object; anything else is wrapped as {@code _raw_arguments}. */
    private JsonNode input(JsonNode arguments, String path) {
        if (arguments != null && arguments.isObject()) {
            return arguments.deepCopy();
        }
        String raw = arguments == null || arguments.isNull() ? "" : arguments.isTextual() ? arguments.asText() : arguments.toString();
        if (raw.isBlank()) {
            return NODES.objectNode();
        }
        JsonNode parsed = ChatJson.parseOrNull(raw);
        if (parsed != null && parsed.isObject()) {
            return parsed;
        }
        dropped.add(path + ".arguments (not a JSON object: kept as _raw_arguments)");
        ObjectNode wrapped = NODES.objectNode();
        wrapped.put("_raw_arguments", raw);
        return wrapped;
    }

    private ObjectNode toolResult(String toolUseId, JsonNode content, String path) {
        ObjectNode block = NODES.objectNode();
        block.put("type", "tool_result");
        block.put("tool_use_id", toolUseId);
        if (content != null && content.isTextual()) {
            if (!content.asText().isEmpty()) {
                block.put("content", content.asText());
            }
        } else if (content != null && content.isArray()) {
            ArrayNode inner = NODES.arrayNode();
            ChatContentToAnthropic.appendUserBlocks(content, path + ".content", inner, dropped);
            if (!inner.isEmpty()) {
                block.set("content", inner);
            }
        } else if (!absent(content)) {
            block.put("content", content.toString());
        }
        return block;
    }

    private String generatedId() {
        return "toolu_tracegate_" + (++generatedIds);
    }

    private Converted result() {
        List<Turn> merged = new ArrayList<>();
        for (Turn t : turns) {
            Turn last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
            if (last != null && last.role().equals(t.role())) {
                last.blocks().addAll(t.blocks());
            } else {
                merged.add(new Turn(t.role(), t.blocks()));
            }
        }
        if (merged.isEmpty() || !"user".equals(merged.get(0).role())) {
            ArrayNode blocks = NODES.arrayNode();
            ChatContentToAnthropic.addText(blocks, PLACEHOLDER_USER_TEXT, null);
            merged.add(0, new Turn("user", blocks));
            dropped.add("messages (inserted a placeholder user message: Anthropic requires the first message to be from the user)");
        }
        trimFinalAssistant(merged);
        ArrayNode out = NODES.arrayNode();
        for (Turn t : merged) {
            ObjectNode m = out.addObject();
            m.put("role", t.role());
            m.set("content", "user".equals(t.role()) ? toolResultsFirst(t.blocks()) : t.blocks());
        }
        return new Converted(system.isEmpty() ? null : String.join("\n\n", system), out);
    }

    private static ArrayNode toolResultsFirst(ArrayNode blocks) {
        ArrayNode results = NODES.arrayNode();
        ArrayNode rest = NODES.arrayNode();
        for (JsonNode b : blocks) {
            ("tool_result".equals(str(b.get("type"))) ? results : rest).add(b);
        }
        return results.addAll(rest);
    }

    private static void trimFinalAssistant(List<Turn> turns) {
        Turn last = turns.get(turns.size() - 1);
        if (!"assistant".equals(last.role())) {
            return;
        }
        ArrayNode blocks = last.blocks();
        JsonNode tail = blocks.get(blocks.size() - 1);
        if ("text".equals(str(tail.get("type")))) {
            String trimmed = tail.get("text").asText().stripTrailing();
            ((ObjectNode) tail).put("text", trimmed);
        }
    }
}
