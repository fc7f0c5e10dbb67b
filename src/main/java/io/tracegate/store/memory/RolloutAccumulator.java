package io.tracegate.store.memory;

import io.tracegate.store.RolloutSummary;
import io.tracegate.trace.Span;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Folds one rollout's spans into a {@link RolloutSummary} with the same rules as the SQL aggregate of the
 * SQLite store: attempts ordered by their earliest start (ties by id), errors are status "error", token sums
 * treat unknown usage as 0, the cost is null unless at least one span had a cost,
 * last activity is the latest start or end of any span.
 */
final class RolloutAccumulator {
  private final String rolloutId;
  private final Map<String, Long> attemptFirstStart = new HashMap<>();
  private long spans;
  private long errors;
  private long inputTokens;
  private long outputTokens;
  private Double costUsd;
  private long firstStart = Long.MAX_VALUE;
  private long lastEnd = Long.MIN_VALUE;
  private long lastStart = Long.MIN_VALUE;
  private long maxSequenceId;

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
      attemptFirstStart.merge(span.attemptId(), span.startTimeUnixNano(), Math::min);
    }
    firstStart = Math.min(firstStart, span.startTimeUnixNano());
    lastEnd = Math.max(lastEnd, span.endTimeUnixNano());
    lastStart = Math.max(lastStart, span.startTimeUnixNano());
    if (span.sequenceId() != null) {
      maxSequenceId = Math.max(maxSequenceId, span.sequenceId());
    }
  }

  /** Latest start or end of any span: what "most recently active" sorts and filters on. */
  long lastActivity() {
    return Math.max(lastEnd, lastStart);
  }

  RolloutSummary summary() {
    List<String> attempts = attemptFirstStart.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().thenComparing(Map.Entry.comparingByKey()))
        .map(Map.Entry::getKey)
        .toList();
    return new RolloutSummary(rolloutId, attempts, spans, errors, inputTokens, outputTokens, costUsd,
        firstStart, lastEnd, maxSequenceId);
  }

  private static long orZero(Long value) {
    return value == null ? 0 : value;
  }
}
