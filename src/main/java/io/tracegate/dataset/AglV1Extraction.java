package io.tracegate.dataset;

import io.tracegate.trace.Span;
import java.nio.IntBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Agent Lightning 1.0's extraction ({@code --semantics agl-v1}), checked in its source
 * ({@code agentlightning/server/routes/events.py} {@code _dedupe_model_requests_by_prompt_token_ids},
 * {@code agentlightning/verl/agl_rollout_manager.py}, {@code rollout_adapter.py}): among the attempt's LLM calls,
 * only the LAST of the calls with identical prompt ids is kept (before any other check, as there: a later failed
 * call hides an earlier good one); failed calls and calls without token ids are dropped; the final reward (the
 * value of the last reward span, whatever its name) goes on every row, and a rollout without a reward gets 0.0
 * ({@code reward_fillna_value}); merge joins consecutive calls only ({@link TrajectoryMerger}). No response-id
 * deduplication and no logprob-count check. Skip reasons: {@code duplicate_prompt_ids}, {@code error_status},
 * {@code missing_token_ids}, {@code invalid_reward}.
 */
final class AglV1Extraction {

  private AglV1Extraction() {}

  /** @param ordered one attempt's spans in (sequence id, start) order */
  static AdapterResult adapt(List<Span> ordered, boolean merge) {
    Map<IntBuffer, Integer> lastByPrompt = new HashMap<>();
    for (int i = 0; i < ordered.size(); i++) {
      Span s = ordered.get(i);
      if (Span.KIND_LLM.equals(s.kind()) && s.promptTokenIds() != null && s.promptTokenIds().length > 0) {
        lastByPrompt.put(IntBuffer.wrap(s.promptTokenIds()), i);
      }
    }
    Map<String, Long> skipped = new HashMap<>();
    List<Triplet> calls = new ArrayList<>();
    String finalName = null;
    Double finalValue = null;
    for (int i = 0; i < ordered.size(); i++) {
      Span span = ordered.get(i);
      if (Span.KIND_LLM.equals(span.kind())) {
        String reason = skipReason(span, i, lastByPrompt);
        if (reason != null) {
          RewardAssigner.count(skipped, reason);
        } else {
          calls.add(TripletAdapter.triplet(span, calls.size()));
        }
      } else if (Span.KIND_REWARD.equals(span.kind())) {
        Double value = RewardSpans.value(span);
        if (value == null) {
          RewardAssigner.count(skipped, "invalid_reward");
        } else {
          finalName = RewardSpans.name(span);
          finalValue = value;
        }
      }
    }
    Map<String, Double> rewards = finalValue == null ? Map.of() : Map.of(finalName, finalValue);
    double reward = finalValue == null ? 0.0 : finalValue;
    DriftDetector.Result drift = DriftDetector.detect(calls);
    List<Triplet> rows = new ArrayList<>();
    for (Triplet row : merge ? TrajectoryMerger.merge(calls) : calls) {
      rows.add(row.withReward(reward, rewards));
    }
    return new AdapterResult(rows, skipped, drift.continuing(), drift.cases());
  }

  private static String skipReason(Span span, int index, Map<IntBuffer, Integer> lastByPrompt) {
    int[] prompt = span.promptTokenIds();
    if (prompt != null && prompt.length > 0 && lastByPrompt.get(IntBuffer.wrap(prompt)) != index) {
      return "duplicate_prompt_ids";
    }
    if (span.status() != null && !Span.STATUS_OK.equals(span.status())) {
      return "error_status";
    }
    int[] response = span.responseTokenIds();
    if (prompt == null || prompt.length == 0 || response == null || response.length == 0) {
      return "missing_token_ids";
    }
    return null;
  }
}
