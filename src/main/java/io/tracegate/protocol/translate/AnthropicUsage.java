package io.tracegate.protocol.translate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Chat Completions {@code usage} to Anthropic {@code usage}. OpenAI's {@code prompt_tokens}
 * INCLUDES {@code prompt_tokens_details.cached_tokens}, Anthropic's {@code input_tokens} EXCLUDES
 * cache reads, so: input_tokens = prompt_tokens - cached_tokens, cache_read_input_tokens =
 * cached_tokens, cache_creation_input_tokens = 0 (OpenAI-compatible servers do not report cache
 * writes), output_tokens = completion_tokens (reasoning included, as with Anthropic).
 */
final class AnthropicUsage {

    private AnthropicUsage() {
    }

    /** The Anthropic usage object; all zeros when {@code usage} is absent. */
    static ObjectNode of(JsonNode usage) {
        long prompt = 0;
        long cached = 0;
        long completion = 0;
        if (usage != null && usage.isObject()) {
            prompt = usage.path("prompt_tokens").asLong(0);
            cached = usage.path("prompt_tokens_details").path("cached_tokens").asLong(0);
            completion = usage.path("completion_tokens").asLong(0);
        }
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        count(out, "input_tokens", Math.max(0, prompt - cached));
        count(out, "cache_creation_input_tokens", 0);
        count(out, "cache_read_input_tokens", cached);
        count(out, "output_tokens", completion);
        return out;
    }

    /** Ints when they fit, so the tree equals one parsed from the JSON text. */
    private static void count(ObjectNode out, String key, long value) {
        if (value <= Integer.MAX_VALUE) {
            out.put(key, (int) value);
        } else {
            out.put(key, value);
        }
    }

    /** True when {@code usage} is an object worth reporting. */
    static boolean present(JsonNode usage) {
        return usage != null && usage.isObject();
    }
}
