package io.tracegate.protocol.translate;

import static io.tracegate.protocol.translate.ChatJson.absent;
import static io.tracegate.protocol.translate.ChatJson.str;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * Maps the generation limits and sampling parameters: {@code max_completion_tokens} /
 * {@code max_tokens}, {@code reasoning_effort} (to extended thinking), {@code temperature},
 * {@code top_p}, {@code top_k} and {@code stop}. Must run after the messages and tools are written,
 * because extended thinking depends on them.
 */
final class ChatSamplingToAnthropic {

    /** Anthropic requires {@code max_tokens}; this is sent when the client gave no limit. */
    static final int DEFAULT_MAX_TOKENS = 4096;

    /** Lowest {@code top_p} Anthropic accepts together with extended thinking. */
    private static final double THINKING_MIN_TOP_P = 0.95;

    private ChatSamplingToAnthropic() {
    }

    static void apply(JsonNode req, ObjectNode out, List<String> dropped) {
        String limitName = absent(req.get("max_completion_tokens")) ? "max_tokens" : "max_completion_tokens";
        Integer requested = positiveInt(req.get(limitName), limitName, dropped);
        Integer budget = thinkingBudget(req, out, dropped);
        int maxTokens = requested != null ? requested : DEFAULT_MAX_TOKENS;
        if (budget != null) {
            if (requested == null) {
                maxTokens = budget + DEFAULT_MAX_TOKENS;
            } else if (requested <= budget) {
                maxTokens = budget + requested;
                dropped.add(limitName + " (raised from " + requested + " to " + maxTokens
                        + ": it must exceed the thinking budget of " + budget + ")");
            }
        }
        out.put("max_tokens", maxTokens);
        if (budget != null) {
            ObjectNode thinking = out.putObject("thinking");
            thinking.put("type", "enabled");
            thinking.put("budget_tokens", budget);
        }

        boolean temperatureSent = false;
        JsonNode temperature = req.get("temperature");
        if (!absent(temperature)) {
            if (!temperature.isNumber()) {
                dropped.add("temperature (not a number)");
            } else if (budget != null) {
                dropped.add("temperature (extended thinking requires the default temperature)");
            } else {
                double t = temperature.asDouble();
                double clamped = Math.max(0.0, Math.min(1.0, t));
                if (clamped != t) {
                    dropped.add("temperature (clamped from " + t + " to " + clamped + ", Anthropic's range is 0..1)");
                }
                out.put("temperature", clamped);
                temperatureSent = true;
            }
        }
        JsonNode topP = req.get("top_p");
        if (!absent(topP)) {
            if (!topP.isNumber()) {
                dropped.add("top_p (not a number)");
            } else if (budget != null && topP.asDouble() < THINKING_MIN_TOP_P) {
                dropped.add("top_p (extended thinking accepts only 0.95..1)");
            } else if (temperatureSent) {
                dropped.add("top_p (recent Claude models reject temperature and top_p together; temperature kept)");
            } else {
                out.put("top_p", topP.asDouble());
            }
        }
        JsonNode topK = req.get("top_k");
        if (!absent(topK)) {
            if (budget != null) {
                dropped.add("top_k (extended thinking does not allow top_k)");
            } else if (positiveInt(topK, "top_k", dropped) != null) {
                out.put("top_k", topK.asInt());
            }
        }
        stop(req.get("stop"), out, dropped);
    }

    /**
     * The thinking budget for {@code reasoning_effort}, or {@code null} when thinking stays off:
     * none/minimal -> off, low 1024, medium 4096, high 16384, xhigh 32768. It also stays off (listed)
     * when a tool is forced, or when the last assistant turn made tool calls: Anthropic then requires
     * that turn to start with a signed thinking block, which an OpenAI client cannot send back.
     */
    private static Integer thinkingBudget(JsonNode req, ObjectNode out, List<String> dropped) {
        JsonNode effortNode = req.get("reasoning_effort");
        if (absent(effortNode)) {
            return null;
        }
        String effort = str(effortNode);
        Integer budget = effort == null ? null : switch (effort) {
            case "low" -> 1024;
            case "medium" -> 4096;
            case "high" -> 16384;
            case "xhigh" -> 32768;
            default -> null;
        };
        if (budget == null) {
            if ("minimal".equals(effort)) {
                dropped.add("reasoning_effort (minimal: extended thinking left off, its smallest budget is 1024)");
            } else if (!"none".equals(effort)) {
                dropped.add("reasoning_effort (unknown value " + effortNode + ")");
            }
            return null;
        }
        String choice = out.path("tool_choice").path("type").asText("");
        if ("any".equals(choice) || "tool".equals(choice)) {
            dropped.add("reasoning_effort (extended thinking cannot be combined with a forced tool_choice)");
            return null;
        }
        if (lastAssistantUsedTools(out.path("messages"))) {
            dropped.add("reasoning_effort (the last assistant turn has tool calls without its signed thinking block)");
            return null;
        }
        return budget;
    }

    private static boolean lastAssistantUsedTools(JsonNode messages) {
        for (int i = messages.size() - 1; i >= 0; i--) {
            JsonNode m = messages.get(i);
            if ("assistant".equals(str(m.get("role")))) {
                for (JsonNode b : m.path("content")) {
                    if ("tool_use".equals(str(b.get("type")))) {
                        return true;
                    }
                }
                return false;
            }
        }
        return false;
    }

    private static void stop(JsonNode stop, ObjectNode out, List<String> dropped) {
        if (absent(stop)) {
            return;
        }
        ArrayNode sequences = ChatJson.NODES.arrayNode();
        if (stop.isTextual()) {
            addStop(sequences, stop.asText(), "stop", dropped);
        } else if (stop.isArray()) {
            for (int i = 0; i < stop.size(); i++) {
                JsonNode s = stop.get(i);
                if (s.isTextual()) {
                    addStop(sequences, s.asText(), "stop[" + i + "]", dropped);
                } else {
                    dropped.add("stop[" + i + "] (not a string)");
                }
            }
        } else {
            dropped.add("stop (neither a string nor an array)");
        }
        if (!sequences.isEmpty()) {
            out.set("stop_sequences", sequences);
        }
    }

    private static void addStop(ArrayNode sequences, String s, String path, List<String> dropped) {
        if (s.isBlank()) {
            dropped.add(path + " (empty or whitespace-only stop sequence)");
        } else {
            sequences.add(s);
        }
    }

    /** A positive integer value, or {@code null} (listed when present but invalid). */
    static Integer positiveInt(JsonNode node, String name, List<String> dropped) {
        if (absent(node)) {
            return null;
        }
        if (node.isNumber() && node.canConvertToInt() && node.asDouble() == Math.rint(node.asDouble()) && node.asInt() > 0) {
            return node.asInt();
        }
        dropped.add(name + " (not a positive integer: " + node + ")");
        return null;
    }
}
