package io.tracegate.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;

/**
 * One line of the rollouts list ({@link SpanStore#rolloutTable}): what the trace UI shows per rollout.
 * Token figures sum the rollout's LLM calls (input includes cached tokens); {@code cacheHitRate} is cache-read
 * over input tokens, null without input tokens. {@code reward} is the value of the rollout's last reward span
 * (by sequence id), null when it has none. {@code status} is {@code error} when any span failed, else
 * {@code ok}. {@code durationMs} runs from the first span's start to the last span's end (0 without spans).
 * {@code models} are the distinct model names the calls asked for, in name order.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record RolloutRow(
    String rolloutId,
    long attempts,
    long calls,
    long rewards,
    long errors,
    String status,
    long inputTokens,
    long outputTokens,
    long cacheReadInputTokens,
    Double cacheHitRate,
    Double costUsd,
    Double reward,
    double durationMs,
    long firstStartTimeUnixNano,
    long lastActivityUnixNano,
    List<String> models,
    JsonNode metadata) {

  public RolloutRow {
    models = List.copyOf(models);
    if (metadata != null && (metadata.isNull() || metadata.isMissingNode())) {
      metadata = null;
    }
  }

  /** Cache-read over input tokens, null when there were no input tokens. */
  public static Double hitRate(long cacheRead, long input) {
    return input == 0 ? null : (double) cacheRead / input;
  }
}
