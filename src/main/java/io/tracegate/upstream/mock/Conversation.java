package io.tracegate.upstream.mock;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * What the mock reads from a Chat Completions {@code messages} array: the user's latest text, and the tool
 * results that arrived after the assistant's last message (the answers to its tool calls, not yet commented
 * on). Anthropic clients reach the mock translated, so their {@code tool_result} blocks are {@code role: tool}
 * messages here.
 *
 * @param latestUserText the last user message's text without agent boilerplate
 * @param toolResults tool results after the last assistant message, in order
 * @param userSpokeLast a user message comes after the last assistant message (or there is none)
 */
record Conversation(UserText latestUserText, List<ToolResult> toolResults, boolean userSpokeLast) {

    /** One tool result: the name of the tool that produced it (from the assistant's call; null if unknown) and its text. */
    record ToolResult(String toolName, String content) {
    }

    Conversation {
        toolResults = List.copyOf(toolResults);
    }

    static Conversation of(JsonNode messages) {
        String latestUser = null;
        int lastAssistant = -1;
        for (int i = 0; i < messages.size(); i++) {
            String role = messages.get(i).path("role").asText();
            if ("user".equals(role)) {
                latestUser = text(messages.get(i).get("content"));
            } else if ("assistant".equals(role)) {
                lastAssistant = i;
            }
        }
        JsonNode calls = lastAssistant < 0 ? null : messages.get(lastAssistant).path("tool_calls");
        List<ToolResult> results = new ArrayList<>();
        boolean userAfter = false;
        for (int i = lastAssistant + 1; i < messages.size(); i++) {
            JsonNode m = messages.get(i);
            String role = m.path("role").asText();
            if ("tool".equals(role) || "function".equals(role)) {
                results.add(new ToolResult(toolName(m, calls), text(m.get("content"))));
            } else if ("user".equals(role)) {
                userAfter = true;
            }
        }
        return new Conversation(UserText.of(latestUser), results, userAfter);
    }

    private static String toolName(JsonNode result, JsonNode calls) {
        if (result.path("name").isTextual()) {
            return result.get("name").asText();
        }
        String id = result.path("tool_call_id").asText("");
        if (calls != null) {
            for (JsonNode call : calls) {
                if (id.equals(call.path("id").asText())) {
                    return call.path("function").path("name").asText(null);
                }
            }
        }
        return null;
    }

    /** A message content as text: a string, or the text parts of an array joined. */
    static String text(JsonNode content) {
        if (content == null || content.isNull()) {
            return "";
        }
        if (content.isTextual()) {
            return content.asText();
        }
        StringBuilder sb = new StringBuilder();
        for (JsonNode part : content) {
            if (part.isTextual()) {
                sb.append(part.asText());
            } else if (part.path("text").isTextual()) {
                sb.append(part.get("text").asText());
            }
        }
        return sb.toString();
    }
}
