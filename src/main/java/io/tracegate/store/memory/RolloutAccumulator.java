package io.tracegate.store.memory;

import com.fasterxml.jackson.databind.JsonNode;
import io.tracegate.store.RolloutSummary;
import io.tracegate.trace.Span;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Folds one rollout's spans and registration into a {@link RolloutSummary} with the same rules as the SQL
 * aggregate of the SQLite store: attempts (registered or seen) ordered by first appearance (ties by id),
 * errors are status "error", token sums treat unknown usage as 0, the cost is null unless at least one span
 * had a cost, last activity is the latest start or end of any span or the registration time if later.
 */
final class RolloutAccumulator {
  private final String rolloutId;
  private final Map<String, Long> attemptFirstSeen = new HashMap<>();
  private long spans;
  private long errors;
  private long inputTokens;
  private long outputTokens;
  private Double costUsd;
  private long firstStart = Long.MAX_VALUE;
  private long lastEnd = Long.MIN_VALUE;
  private long lastStart = Long.MIN_VALUE;
  private long maxSequenceId;
  private boolean registered;
  private JsonNode metadata;
  private long createdUnixNano;

  RolloutAccumulator(String rolloutId) {
    this.rolloutId = rolloutId;
  }

  String rolloutId() {
    return rolloutId;
  }

  void add(Span span) {
    spans++;
    if (Span.STATUS_ERROR.equals(span.status())) {
      errors++;
    }
    if (span.usage() != null) {
      inputTokens += orZero(span.usage().inputTokens());
      outputTokens += orZero(span.usage().outputTokens());
    }
    if (span.costUsd() != null) {
      costUsd = costUsd == null ? span.costUsd() : costUsd + span.costUsd();
    }
    if (span.attemptId() != null) {
      attempt(span.attemptId(), span.startTimeUnixNano());
    }
    firstStart = Math.min(firstStart, span.startTimeUnixNano());
    lastEnd = Math.max(lastEnd, span.endTimeUnixNano());
    lastStart = Math.max(lastStart, span.startTimeUnixNano());
    if (span.sequenceId() != null) {
      maxSequenceId = Math.max(maxSequenceId, span.sequenceId());
    }
  }

  void register(JsonNode metadata, long createdUnixNano) {
    this.registered = true;
    this.metadata = metadata;
    this.createdUnixNano = createdUnixNano;
  }

  void attempt(String attemptId, long firstSeenUnixNano) {
    attemptFirstSeen.merge(attemptId, firstSeenUnixNano, Math::min);
  }

  /** Latest start or end of any span, or the registration time when later. */
  long lastActivity() {
    long activity = spans == 0 ? Long.MIN_VALUE : Math.max(lastEnd, lastStart);
    return registered ? Math.max(activity, createdUnixNano) : activity;
  }

  List<String> attempts() {
    return attemptFirstSeen.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().thenComparing(Map.Entry.comparingByKey()))
        .map(Map.Entry::getKey)
        .toList();
  }

  RolloutSummary summary() {
    return new RolloutSummary(rolloutId, attempts(), spans, errors, inputTokens, outputTokens, costUsd,
        spans == 0 ? 0 : firstStart, spans == 0 ? 0 : lastEnd, maxSequenceId,
        metadata == null ? null : metadata.deepCopy(), registered ? createdUnixNano : firstStart);
  }

  private static long orZero(Long value) {
    return value == null ? 0 : value;
  }
}
