package io.tracegate.dataset;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Places reward values on calls. Targeted rewards (with a span id) go to their call first, in every mode; the
 * mode then places untargeted rewards, one reward name at a time, never overwriting a targeted value of the
 * same name. A later reward of the same name on the same call replaces an earlier one (a correction).
 */
final class RewardAssigner {

  /** An LLM call that yields a triplet: its span id and sequence id (null when unknown). */
  record Target(String spanId, Long sequenceId) {}

  /** A reward span's content; {@code sequenceId} null sorts after everything. */
  record Reward(String name, double value, Long sequenceId, String targetSpanId) {}

  private RewardAssigner() {}

  /**
   * @param calls in turn order
   * @param rewards in sequence order
   * @param skipped reason counts to add to ("unmatched_reward", "superseded_reward")
   * @return one name-to-value map per call (name order), empty when the call got nothing
   */
  static List<Map<String, Double>> assign(List<Target> calls, List<Reward> rewards, AdapterOptions options,
      Map<String, Long> skipped) {
    List<Map<String, Double>> out = new ArrayList<>(calls.size());
    Map<String, Integer> indexBySpan = new HashMap<>();
    for (int i = 0; i < calls.size(); i++) {
      out.add(new TreeMap<>());
      indexBySpan.putIfAbsent(calls.get(i).spanId(), i);
    }
    Map<String, Set<Integer>> claimed = new HashMap<>();
    Map<String, List<Reward>> untargeted = new LinkedHashMap<>();
    for (Reward r : rewards) {
      if (r.targetSpanId() == null) {
        untargeted.computeIfAbsent(r.name(), k -> new ArrayList<>()).add(r);
        continue;
      }
      Integer index = indexBySpan.get(r.targetSpanId());
      if (index == null) {
        count(skipped, "unmatched_reward");
      } else {
        out.get(index).put(r.name(), r.value());
        claimed.computeIfAbsent(r.name(), k -> new HashSet<>()).add(index);
      }
    }
    for (Map.Entry<String, List<Reward>> byName : untargeted.entrySet()) {
      String name = byName.getKey();
      Set<Integer> taken = claimed.computeIfAbsent(name, k -> new HashSet<>());
      if (options.mode() == RewardMode.MATCHED) {
        matched(calls, byName.getValue(), name, taken, out, skipped);
      } else {
        fromFinal(calls.size(), byName.getValue(), name, taken, options, out, skipped);
      }
    }
    return out;
  }

  /** Agent Lightning: each reward to the most recent unclaimed call with a strictly smaller sequence id. */
  private static void matched(List<Target> calls, List<Reward> rewards, String name, Set<Integer> taken,
      List<Map<String, Double>> out, Map<String, Long> skipped) {
    for (Reward r : rewards) {
      long rewardSeq = r.sequenceId() == null ? Long.MAX_VALUE : r.sequenceId();
      boolean placed = false;
      for (int i = calls.size() - 1; i >= 0 && !placed; i--) {
        Long callSeq = calls.get(i).sequenceId();
        if (callSeq != null && callSeq < rewardSeq && !taken.contains(i)) {
          out.get(i).put(name, r.value());
          taken.add(i);
          placed = true;
        }
      }
      if (!placed) {
        count(skipped, "unmatched_reward");
      }
    }
  }

  /** LAST, BROADCAST, DISCOUNTED: only the final reward of the name counts; earlier ones are superseded. */
  private static void fromFinal(int callCount, List<Reward> rewards, String name, Set<Integer> taken,
      AdapterOptions options, List<Map<String, Double>> out, Map<String, Long> skipped) {
    if (rewards.size() > 1) {
      skipped.merge("superseded_reward", (long) rewards.size() - 1, Long::sum);
    }
    if (callCount == 0) {
      count(skipped, "unmatched_reward");
      return;
    }
    double value = rewards.get(rewards.size() - 1).value();
    int last = callCount - 1;
    switch (options.mode()) {
      case LAST -> putUnclaimed(out, taken, last, name, value);
      case BROADCAST -> {
        for (int i = 0; i <= last; i++) {
          putUnclaimed(out, taken, i, name, value);
        }
      }
      case DISCOUNTED -> {
        for (int i = last; i >= 0; i--) {
          putUnclaimed(out, taken, i, name, value * Math.pow(options.gamma(), last - i));
        }
      }
      default -> throw new IllegalStateException("unexpected mode " + options.mode());
    }
  }

  private static void putUnclaimed(List<Map<String, Double>> out, Set<Integer> taken, int index, String name,
      double value) {
    if (!taken.contains(index)) {
      out.get(index).put(name, value);
    }
  }

  static void count(Map<String, Long> skipped, String reason) {
    skipped.merge(reason, 1L, Long::sum);
  }
}
