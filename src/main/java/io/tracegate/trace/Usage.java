package io.tracegate.trace;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * Normalised token usage of one call. Follows the OpenTelemetry GenAI convention:
 * {@code inputTokens} INCLUDES cached tokens (cache reads and cache writes), for every provider.
 * A field is null when the provider did not report it; 0 means the provider reported zero.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.ALWAYS)
public record Usage(
    Long inputTokens,
    Long outputTokens,
    Long cacheReadInputTokens,
    Long cacheCreationInputTokens,
    @JsonProperty("cache_creation_5m_input_tokens") Long cacheCreation5mInputTokens,
    @JsonProperty("cache_creation_1h_input_tokens") Long cacheCreation1hInputTokens,
    Long reasoningTokens) {

  public static final Usage EMPTY = new Usage(null, null, null, null, null, null, null);

  /** Total tokens (input incl. cached + output), or null when neither is known. */
  public Long totalTokens() {
    if (inputTokens == null && outputTokens == null) {
      return null;
    }
    return (inputTokens == null ? 0 : inputTokens) + (outputTokens == null ? 0 : outputTokens);
  }

  /** Input tokens that were neither read from nor written to a cache. */
  public long uncachedInputTokens() {
    long in = inputTokens == null ? 0 : inputTokens;
    long read = cacheReadInputTokens == null ? 0 : cacheReadInputTokens;
    long write = cacheCreationInputTokens == null ? 0 : cacheCreationInputTokens;
    return Math.max(0, in - read - write);
  }
}
