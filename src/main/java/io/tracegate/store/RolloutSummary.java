package io.tracegate.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;

/**
 * Aggregate over one rollout's spans, plus what {@link SpanStore#createRollout} registered. Token totals sum
 * normalised usage (input includes cached). {@code attempts} lists distinct attempt ids, registered or seen
 * in spans, in the order they were created (registration time or first span start; ties by id), as
 * {@link SpanStore#attempts} does: the last is the latest attempt. A rollout registered before any traffic has
 * 0 spans, and 0 for {@code firstStartTimeUnixNano} and {@code lastEndTimeUnixNano}. {@code metadata} is what was registered
 * (null when none); {@code createdUnixNano} is the registration time, or the first span's start for a
 * rollout that was never registered.
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
    long maxSequenceId,
    JsonNode metadata,
    long createdUnixNano) {

  public RolloutSummary {
    attempts = List.copyOf(attempts);
    if (metadata != null && (metadata.isNull() || metadata.isMissingNode())) {
      metadata = null;
    }
  }
}
