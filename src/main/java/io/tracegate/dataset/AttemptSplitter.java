package io.tracegate.dataset;

import io.tracegate.trace.Span;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Splits one rollout's spans by attempt, because rewards are placed within an attempt. A reward recorded
 * without an attempt id (for example posted to {@code /api/rollouts/{id}/rewards}) belongs to the attempt of the
 * call it targets, else to the attempt of the latest LLM call before it in sequence order, which is the attempt
 * that was running when it was given. Other spans without an attempt form their own group (key null).
 */
final class AttemptSplitter {

  private static final Comparator<Span> SEQUENCE_ORDER = Comparator
      .comparing(Span::sequenceId, Comparator.nullsLast(Comparator.naturalOrder()))
      .thenComparingLong(Span::startTimeUnixNano)
      .thenComparing(Span::spanId, Comparator.nullsLast(Comparator.naturalOrder()));

  private AttemptSplitter() {}

  /**
   * @param createdOrder the rollout's attempts in the order they were created ({@code SpanStore.attempts}:
   *     registered, or first seen on a span), read after the spans so that it lists every attempt they carry
   * @return one group per attempt in creation order, an attempt created but without spans yet having an empty
   *     group; attempts of spans that {@code createdOrder} lacks follow, by their earliest start (ties by id);
   *     the group without attempt (if any) comes last
   */
  static Map<String, List<Span>> split(List<Span> rolloutSpans, List<String> createdOrder) {
    List<Span> ordered = new ArrayList<>(rolloutSpans);
    ordered.sort(SEQUENCE_ORDER);
    Map<String, String> attemptBySpan = new HashMap<>();
    for (Span s : ordered) {
      if (s.attemptId() != null && s.spanId() != null) {
        attemptBySpan.put(s.spanId(), s.attemptId());
      }
    }
    Map<String, List<Span>> groups = new HashMap<>();
    Map<String, Long> firstStart = new HashMap<>();
    String runningAttempt = null;
    for (Span s : ordered) {
      String attempt = s.attemptId();
      if (attempt == null && Span.KIND_REWARD.equals(s.kind())) {
        String target = RewardSpans.targetSpanId(s);
        attempt = target != null && attemptBySpan.containsKey(target) ? attemptBySpan.get(target) : runningAttempt;
      }
      if (Span.KIND_LLM.equals(s.kind()) && s.attemptId() != null) {
        runningAttempt = s.attemptId();
      }
      groups.computeIfAbsent(attempt, k -> new ArrayList<>()).add(s);
      if (attempt != null && s.attemptId() != null) {
        firstStart.merge(attempt, s.startTimeUnixNano(), Math::min);
      }
    }
    Map<String, List<Span>> out = new LinkedHashMap<>();
    for (String attempt : createdOrder) {
      out.put(attempt, groups.getOrDefault(attempt, List.of()));
    }
    List<String> unlisted = new ArrayList<>(firstStart.keySet());
    unlisted.removeAll(out.keySet());
    unlisted.sort(Comparator.<String>comparingLong(firstStart::get).thenComparing(Comparator.naturalOrder()));
    for (String attempt : unlisted) {
      out.put(attempt, groups.get(attempt));
    }
    if (groups.containsKey(null)) {
      out.put(null, groups.get(null));
    }
    return out;
  }

  /**
   * The latest attempt's key: the attempt created last, even when it has no spans yet (then it yields nothing;
   * there is no falling back to the attempt before it). Null, the attempt-less group, when no span of the
   * rollout carries an attempt id: such a rollout does not use attempts, whatever was registered for it.
   */
  static String latest(Map<String, List<Span>> groups) {
    String latest = null;
    boolean attemptsHaveSpans = false;
    for (Map.Entry<String, List<Span>> group : groups.entrySet()) {
      if (group.getKey() != null) {
        latest = group.getKey();
        attemptsHaveSpans |= !group.getValue().isEmpty();
      }
    }
    return attemptsHaveSpans ? latest : null;
  }
}
