package io.tracegate.protocol.translate;

import static io.tracegate.protocol.translate.ChatJson.NODES;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Field mappings shared by the non-stream and the stream translation of Anthropic answers into
 * Chat Completions shapes: stop reason to {@code finish_reason}, usage, error types.
 */
final class AnthropicToOpenAiFields {

    private AnthropicToOpenAiFields() {
    }

    /**
     * {@code finish_reason} for an Anthropic {@code stop_reason}: end_turn, stop_sequence and
     * pause_turn -> stop; max_tokens and model_context_window_exceeded -> length; tool_use ->
     * tool_calls; refusal -> content_filter; any other non-null value -> stop; {@code null} -> null.
     */
    static String finishReason(String stopReason) {
        if (stopReason == null) {
            return null;
        }
        return switch (stopReason) {
            case "max_tokens", "model_context_window_exceeded" -> "length";
            case "tool_use" -> "tool_calls";
            case "refusal" -> "content_filter";
            default -> "stop";
        };
    }

    /**
     * OpenAI usage for Anthropic usage. {@code prompt_tokens} INCLUDES cached tokens (input +
     * cache read + cache write), {@code prompt_tokens_details.cached_tokens} is the cache read and
     * {@code prompt_tokens_details.cache_creation_tokens} (not an OpenAI field) the cache write.
     */
    static ObjectNode usage(JsonNode u) {
        long input = count(u, "input_tokens");
        long read = count(u, "cache_read_input_tokens");
        long write = count(u, "cache_creation_input_tokens");
        long output = count(u, "output_tokens");
        ObjectNode out = NODES.objectNode();
        out.put("prompt_tokens", input + read + write);
        out.put("completion_tokens", output);
        out.put("total_tokens", input + read + write + output);
        ObjectNode details = out.putObject("prompt_tokens_details");
        details.put("cached_tokens", read);
        details.put("cache_creation_tokens", write);
        return out;
    }

    /** Copies the numeric usage members of {@code update} over {@code target} (message_delta usage). */
    static void mergeUsage(ObjectNode target, JsonNode update) {
        if (update == null || !update.isObject()) {
            return;
        }
        for (var e : update.properties()) {
            if (e.getValue().isNumber() || e.getValue().isObject()) {
                target.set(e.getKey(), e.getValue().deepCopy());
            }
        }
    }

    /** OpenAI error {@code type} for an Anthropic error type (unknown types are kept). */
    static String errorType(String anthropicType) {
        if (anthropicType == null) {
            return "server_error";
        }
        return switch (anthropicType) {
            case "api_error", "overloaded_error" -> "server_error";
            case "request_too_large" -> "invalid_request_error";
            default -> anthropicType;
        };
    }

    private static long count(JsonNode usage, String name) {
        JsonNode n = usage == null ? null : usage.get(name);
        return n != null && n.isNumber() ? n.asLong() : 0L;
    }
}
