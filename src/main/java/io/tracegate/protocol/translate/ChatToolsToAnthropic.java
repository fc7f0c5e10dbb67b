package io.tracegate.protocol.translate;

import static io.tracegate.protocol.translate.ChatJson.NODES;
import static io.tracegate.protocol.translate.ChatJson.absent;
import static io.tracegate.protocol.translate.ChatJson.str;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * Maps {@code tools} / legacy {@code functions}, {@code tool_choice} / legacy {@code function_call}
 * and {@code parallel_tool_calls} onto Anthropic's {@code tools} and {@code tool_choice}.
 */
final class ChatToolsToAnthropic {

    private ChatToolsToAnthropic() {
    }

    /** Writes {@code tools} and {@code tool_choice} into {@code out} when there is anything to write. */
    static void apply(JsonNode req, ObjectNode out, List<String> dropped) {
        ArrayNode tools = NODES.arrayNode();
        JsonNode list = req.get("tools");
        if (list != null && list.isArray()) {
            for (int i = 0; i < list.size(); i++) {
                JsonNode t = list.get(i);
                String type = str(t.get("type"));
                if (!"function".equals(type) || !t.path("function").isObject()) {
                    dropped.add("tools[" + i + "] (unsupported tool type " + type + ")");
                } else {
                    addTool(tools, t.get("function"), "tools[" + i + "].function", dropped);
                }
            }
        } else if (!absent(list)) {
            dropped.add("tools (not an array)");
        }
        JsonNode functions = req.get("functions");
        if (functions != null && functions.isArray()) {
            for (int i = 0; i < functions.size(); i++) {
                addTool(tools, functions.get(i), "functions[" + i + "]", dropped);
            }
        } else if (!absent(functions)) {
            dropped.add("functions (not an array)");
        }

        JsonNode choice = absent(req.get("tool_choice")) ? req.get("function_call") : req.get("tool_choice");
        String choicePath = absent(req.get("tool_choice")) ? "function_call" : "tool_choice";
        ObjectNode toolChoice = absent(choice) ? null : toolChoice(choice, choicePath, dropped);
        JsonNode parallel = req.get("parallel_tool_calls");
        boolean serial = parallel != null && parallel.isBoolean() && !parallel.asBoolean();
        if (parallel != null && !parallel.isNull() && !parallel.isBoolean()) {
            dropped.add("parallel_tool_calls (not a boolean)");
        }

        if (tools.isEmpty()) {
            if (toolChoice != null) {
                dropped.add(choicePath + " (no tools to choose from)");
            }
            return;
        }
        out.set("tools", tools);
        if (serial && (toolChoice == null || !"none".equals(toolChoice.get("type").asText()))) {
            if (toolChoice == null) {
                toolChoice = NODES.objectNode().put("type", "auto");
            }
            toolChoice.put("disable_parallel_tool_use", true);
        }
        if (toolChoice != null) {
            out.set("tool_choice", toolChoice);
        }
    }

    private static void addTool(ArrayNode tools, JsonNode fn, String path, List<String> dropped) {
        String name = str(fn.get("name"));
        if (name == null || name.isEmpty()) {
            dropped.add(path + " (no name)");
            return;
        }
        ObjectNode tool = tools.addObject();
        tool.put("name", name);
        String description = str(fn.get("description"));
        if (description != null && !description.isEmpty()) {
            tool.put("description", description);
        }
        JsonNode params = fn.get("parameters");
        ObjectNode schema;
        if (params != null && params.isObject()) {
            schema = params.deepCopy();
            if (!schema.has("type")) {
                schema.put("type", "object");
            }
        } else {
            schema = NODES.objectNode();
            schema.put("type", "object");
            schema.putObject("properties");
        }
        tool.set("input_schema", schema);
        JsonNode strict = fn.get("strict");
        if (strict != null && strict.asBoolean(false)) {
            dropped.add(path + ".strict (strict schema adherence is not requested from Anthropic)");
        }
    }

    private static ObjectNode toolChoice(JsonNode choice, String path, List<String> dropped) {
        if (choice.isTextual()) {
            switch (choice.asText()) {
                case "auto":
                    return NODES.objectNode().put("type", "auto");
                case "required":
                    return NODES.objectNode().put("type", "any");
                case "none":
                    return NODES.objectNode().put("type", "none");
                default:
                    dropped.add(path + " (unknown value " + choice.asText() + ")");
                    return null;
            }
        }
        if (choice.isObject()) {
            // {type: function, function: {name}} or legacy function_call {name}
            String name = str(choice.path("function").get("name"));
            if (name == null && "function_call".equals(path)) {
                name = str(choice.get("name"));
            }
            if (name != null && !name.isEmpty()) {
                return NODES.objectNode().put("type", "tool").put("name", name);
            }
        }
        dropped.add(path + " (unsupported shape)");
        return null;
    }
}
