package io.tracegate.protocol.translate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Maps Anthropic {@code tools} and {@code tool_choice} to Chat Completions {@code tools},
 * {@code tool_choice} and {@code parallel_tool_calls}.
 *
 * <p>Client tools (no {@code type}, or {@code type: "custom"}) become function tools with
 * {@code input_schema} as {@code parameters} and {@code strict} kept. Anthropic server tools
 * ({@code web_search_20250305}, {@code bash_20250124}, {@code text_editor_*}, ...) run inside
 * Anthropic's platform and have no OpenAI equivalent: they are dropped as {@code tool:<type>}.
 */
final class ToolsToFunctions {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private ToolsToFunctions() {
    }

    /** Translates {@code tools} (null, JSON null or absent: none). */
    static TranslatedTools functions(JsonNode tools) {
        DropList dropped = new DropList();
        Set<String> names = new HashSet<>();
        ArrayNode list = null;
        if (tools != null && !tools.isNull()) {
            if (!tools.isArray()) {
                dropped.add("tools");
            } else {
                list = NODES.arrayNode();
                for (JsonNode tool : tools) {
                    ObjectNode fn = function(tool, dropped);
                    if (fn != null) {
                        list.add(fn);
                        names.add(fn.path("function").path("name").asText());
                    }
                }
            }
        }
        return new TranslatedTools(list == null || list.isEmpty() ? null : list, names, dropped.toList());
    }

    /** Writes {@code tools}, {@code tool_choice} and {@code parallel_tool_calls} into {@code out}. */
    static void map(TranslatedTools tools, JsonNode toolChoice, ObjectNode out, DropList dropped) {
        if (tools.functions() != null) {
            out.set("tools", tools.functions());
        }
        tools.dropped().forEach(dropped::add);
        if (toolChoice != null && !toolChoice.isNull()) {
            choice(toolChoice, tools.names(), out, dropped);
        }
    }

    private static ObjectNode function(JsonNode tool, DropList dropped) {
        if (!tool.isObject()) {
            dropped.add("tool:invalid");
            return null;
        }
        String type = tool.path("type").asText("custom");
        if (!"custom".equals(type)) {
            dropped.add("tool:" + type);
            return null;
        }
        JsonNode name = tool.get("name");
        if (name == null || !name.isTextual() || name.asText().isEmpty()) {
            dropped.add("tool:invalid");
            return null;
        }
        ObjectNode out = NODES.objectNode();
        out.put("type", "function");
        ObjectNode fn = out.putObject("function");
        fn.put("name", name.asText());
        for (Map.Entry<String, JsonNode> e : tool.properties()) {
            switch (e.getKey()) {
                case "name", "type" -> { }
                case "description" -> fn.set("description", e.getValue());
                case "input_schema" -> fn.set("parameters", e.getValue());
                case "strict" -> fn.set("strict", e.getValue());
                case "cache_control" -> dropped.add("cache_control");
                default -> dropped.add("tool." + e.getKey());
            }
        }
        if (!fn.has("parameters")) {
            fn.putObject("parameters").put("type", "object").putObject("properties");
        }
        return out;
    }

    private static void choice(JsonNode choice, Set<String> names, ObjectNode out, DropList dropped) {
        String type = choice.isTextual() ? choice.asText() : choice.path("type").asText("");
        if (choice.path("disable_parallel_tool_use").asBoolean(false)) {
            out.put("parallel_tool_calls", false);
        }
        if (names.isEmpty()) {
            if (!"none".equals(type)) { // "none" without tools loses nothing
                dropped.add("tool_choice"); // OpenAI rejects tool_choice without tools
            }
            out.remove("parallel_tool_calls");
            return;
        }
        switch (type) {
            case "auto" -> out.put("tool_choice", "auto");
            case "any" -> out.put("tool_choice", "required");
            case "none" -> out.put("tool_choice", "none");
            case "tool" -> {
                String name = choice.path("name").asText("");
                if (names.contains(name)) {
                    out.putObject("tool_choice").put("type", "function").putObject("function").put("name", name);
                } else {
                    dropped.add("tool_choice");
                }
            }
            default -> dropped.add("tool_choice");
        }
    }
}
