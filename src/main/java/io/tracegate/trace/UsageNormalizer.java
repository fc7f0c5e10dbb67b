package io.tracegate.trace;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Maps provider usage objects to {@link Usage}, whose {@code input_tokens} always INCLUDES cached tokens.
 * OpenAI's {@code prompt_tokens} already includes {@code cached_tokens} (DeepSeek's API names them
 * {@code prompt_cache_hit_tokens}); Anthropic's {@code input_tokens}
 * excludes cache reads and writes, so they are added back.
 */
public final class UsageNormalizer {
  private UsageNormalizer() {}

  /** Chat Completions / Completions {@code usage}; null when absent. */
  public static Usage fromOpenAi(JsonNode usage) {
    if (usage == null || !usage.isObject()) {
      return null;
    }
    JsonNode promptDetails = usage.path("prompt_tokens_details");
    JsonNode completionDetails = usage.path("completion_tokens_details");
    Long cached = longOrNull(promptDetails.get("cached_tokens"));
    if (cached == null) {
      cached = longOrNull(usage.get("prompt_cache_hit_tokens")); // DeepSeek's API: part of prompt_tokens too
    }
    return new Usage(
        longOrNull(usage.get("prompt_tokens")),
        longOrNull(usage.get("completion_tokens")),
        cached,
        null,
        null,
        null,
        longOrNull(completionDetails.get("reasoning_tokens")));
  }

  /** Messages API {@code usage}; null when absent. */
  public static Usage fromAnthropic(JsonNode usage) {
    if (usage == null || !usage.isObject()) {
      return null;
    }
    Long uncached = longOrNull(usage.get("input_tokens"));
    Long read = longOrNull(usage.get("cache_read_input_tokens"));
    Long write = longOrNull(usage.get("cache_creation_input_tokens"));
    JsonNode split = usage.path("cache_creation");
    Long write5m = longOrNull(split.get("ephemeral_5m_input_tokens"));
    Long write1h = longOrNull(split.get("ephemeral_1h_input_tokens"));
    if (write == null && (write5m != null || write1h != null)) {
      write = (write5m == null ? 0 : write5m) + (write1h == null ? 0 : write1h);
    }
    Long input = null;
    if (uncached != null || read != null || write != null) {
      input = zero(uncached) + zero(read) + zero(write);
    }
    return new Usage(
        input, longOrNull(usage.get("output_tokens")), read, write, write5m, write1h, null);
  }

  private static long zero(Long v) {
    return v == null ? 0 : v;
  }

  private static Long longOrNull(JsonNode n) {
    return n != null && n.isNumber() ? n.asLong() : null;
  }
}
