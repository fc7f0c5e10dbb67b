package io.tracegate.store;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;

/**
 * Aggregate over one rollout's spans. Token totals sum normalised usage (input includes cached).
 * {@code attempts} lists distinct attempt ids in order of first appearance.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record RolloutSummary(
    String rolloutId,
    List<String> attempts,
    long spans,
    long errors,
    long inputTokens,
    long outputTokens,
    Double costUsd,
    long firstStartTimeUnixNano,
    long lastEndTimeUnixNano,
    long maxSequenceId) {

  public RolloutSummary {
    attempts = List.copyOf(attempts);
  }
}
