package io.tracegate.protocol.translate;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Chat Completions {@code finish_reason} to Anthropic {@code stop_reason} (one table for the stream
 * and non-stream translations, so they cannot disagree).
 *
 * <pre>
 * stop            end_turn, or stop_sequence when vLLM's choice.stop_reason names the matched string
 * length          max_tokens
 * tool_calls      tool_use      (also the legacy function_call)
 * content_filter  refusal
 * null / absent   end_turn
 * other           end_turn      (reported as a warning)
 * </pre>
 *
 * @param stopReason   the Anthropic stop_reason
 * @param stopSequence the matched stop string, or {@code null}
 * @param known        false when {@code finish_reason} was a value not in the table
 */
record AnthropicStopReason(String stopReason, String stopSequence, boolean known) {

    static AnthropicStopReason of(JsonNode finishReason, JsonNode vllmStopReason) {
        String fr = finishReason == null || finishReason.isNull() ? null : finishReason.asText();
        if (fr == null) {
            return new AnthropicStopReason("end_turn", null, true);
        }
        return switch (fr) {
            case "stop" -> vllmStopReason != null && vllmStopReason.isTextual()
                    ? new AnthropicStopReason("stop_sequence", vllmStopReason.asText(), true)
                    : new AnthropicStopReason("end_turn", null, true);
            case "length" -> new AnthropicStopReason("max_tokens", null, true);
            case "tool_calls", "function_call" -> new AnthropicStopReason("tool_use", null, true);
            case "content_filter" -> new AnthropicStopReason("refusal", null, true);
            default -> new AnthropicStopReason("end_turn", null, false);
        };
    }
}
