package io.tracegate.dataset;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Numbers the rows of one export as they are written (rollout by rollout, attempt by attempt): row index,
 * rollout ordinal, group ordinal (first seen first) and each attempt's repetition within its group. Memory: one
 * entry per group.
 */
final class RowNumbering {
  private final Map<String, Long> groupIndex = new HashMap<>();
  private final Map<String, Long> groupRepetitions = new HashMap<>();
  private long index;
  private long rollouts = -1;
  private String rollout;
  private String attemptKey;
  private long repetition;
  private long attemptsInRollout;

  ExportRow next(Triplet t, boolean lastOfAttempt, GroupStats stats) {
    String key = t.rolloutId() + '\n' + t.attemptId();
    if (rollouts < 0 || !Objects.equals(rollout, t.rolloutId())) {
      rollouts++;
      rollout = t.rolloutId();
      attemptsInRollout = 0;
      attemptKey = null;
    }
    if (!key.equals(attemptKey)) {
      attemptKey = key;
      repetition = t.groupId() != null ? groupRepetitions.merge(t.groupId(), 1L, Long::sum) - 1 : attemptsInRollout;
      attemptsInRollout++;
    }
    Long group = null;
    if (t.groupId() != null) {
      group = groupIndex.computeIfAbsent(t.groupId(), g -> (long) groupIndex.size());
    }
    return new ExportRow(t, index++, rollouts, group, repetition, lastOfAttempt, stats);
  }
}
