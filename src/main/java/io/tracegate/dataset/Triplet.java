package io.tracegate.dataset;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One training sample: what a dataset row holds (JSONL and Parquet use the snake_case names of the
 * components). Without merge it is one LLM call; with merge it is a run of turns of one conversation.
 *
 * <p>Arrays are not copied (the adapter builds them once and never mutates them). {@code equals} compares arrays
 * by content, so a row read back from a file can be compared with the one written.
 *
 * @param sequenceId sequence id of the call (merge: of the sample's last turn)
 * @param turn 0-based index of this sample within its attempt
 * @param model backend model that produced the tokens (frontend model when the backend's is unknown)
 * @param responseLogprobs aligned with {@code responseTokenIds}, or null when the backend returned none;
 *     merge: 0.0 on positions whose {@code lossMask} is 0
 * @param reward sum of {@code rewards}' values; null when the sample got no reward (never a fake 0)
 * @param rewards reward name to value, in name order; empty when none
 * @param messages JSON text of the OpenAI-format messages actually sent upstream (merge: at the last turn), or null
 * @param responseText text of the response (merge: of the last turn)
 * @param spanId span id of the call (merge: of the last turn)
 * @param lossMask merge only: 1 on model-generated response tokens, 0 on inserted prompt/tool tokens; else null
 * @param modelVersion the policy version the call was served with (its span's {@code model_version}; merge: of
 *     the last turn), or null when unknown
 * @param groupId the rollout's group (its metadata's {@code group_id}) for GRPO-style training, or null
 * @param branch merge only: 0-based index of the conversation branch of the attempt this sample is (in the order
 *     the branches started); else null
 * @param turns how many calls the sample holds (1 without merge)
 * @param stopReason why the (last) call stopped, as the backend said it ({@code stop}, {@code length},
 *     {@code tool_calls}, {@code end_turn}, {@code max_tokens}, ...), or null when unknown
 */
public record Triplet(
    String rolloutId,
    String attemptId,
    Long sequenceId,
    long turn,
    String model,
    int[] promptTokenIds,
    int[] responseTokenIds,
    double[] responseLogprobs,
    Double reward,
    Map<String, Double> rewards,
    String messages,
    String responseText,
    String spanId,
    int[] lossMask,
    String modelVersion,
    String groupId,
    Long branch,
    int turns,
    String stopReason) {

  /** A single call's sample without group, branch or stop reason (the {@code triplet/2} columns). */
  public Triplet(String rolloutId, String attemptId, Long sequenceId, long turn, String model, int[] promptTokenIds,
      int[] responseTokenIds, double[] responseLogprobs, Double reward, Map<String, Double> rewards, String messages,
      String responseText, String spanId, int[] lossMask, String modelVersion) {
    this(rolloutId, attemptId, sequenceId, turn, model, promptTokenIds, responseTokenIds, responseLogprobs, reward,
        rewards, messages, responseText, spanId, lossMask, modelVersion, null, null, 1, null);
  }

  public Triplet {
    Objects.requireNonNull(promptTokenIds, "promptTokenIds");
    Objects.requireNonNull(responseTokenIds, "responseTokenIds");
    rewards = rewards == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(rewards));
  }

  /** A copy with other rewards (and {@code reward} their sum, or null when empty). */
  Triplet withRewards(Map<String, Double> newRewards) {
    return new Triplet(rolloutId, attemptId, sequenceId, turn, model, promptTokenIds, responseTokenIds,
        responseLogprobs, sum(newRewards), newRewards, messages, responseText, spanId, lossMask, modelVersion,
        groupId, branch, turns, stopReason);
  }

  /** A copy with these rewards and this {@code reward} (which need not be their sum: Agent Lightning 1.0's 0.0). */
  Triplet withReward(Double newReward, Map<String, Double> newRewards) {
    return new Triplet(rolloutId, attemptId, sequenceId, turn, model, promptTokenIds, responseTokenIds,
        responseLogprobs, newReward, newRewards, messages, responseText, spanId, lossMask, modelVersion,
        groupId, branch, turns, stopReason);
  }

  /** A copy in this group. */
  public Triplet withGroupId(String newGroupId) {
    return new Triplet(rolloutId, attemptId, sequenceId, turn, model, promptTokenIds, responseTokenIds,
        responseLogprobs, reward, rewards, messages, responseText, spanId, lossMask, modelVersion,
        newGroupId, branch, turns, stopReason);
  }

  /** A copy with another turn index. */
  Triplet withTurn(long newTurn) {
    return new Triplet(rolloutId, attemptId, sequenceId, newTurn, model, promptTokenIds, responseTokenIds,
        responseLogprobs, reward, rewards, messages, responseText, spanId, lossMask, modelVersion,
        groupId, branch, turns, stopReason);
  }

  static Double sum(Map<String, Double> rewards) {
    if (rewards == null || rewards.isEmpty()) {
      return null;
    }
    double total = 0;
    for (double v : rewards.values()) {
      total += v;
    }
    return total;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Triplet t
        && turn == t.turn
        && Objects.equals(rolloutId, t.rolloutId)
        && Objects.equals(attemptId, t.attemptId)
        && Objects.equals(sequenceId, t.sequenceId)
        && Objects.equals(model, t.model)
        && Arrays.equals(promptTokenIds, t.promptTokenIds)
        && Arrays.equals(responseTokenIds, t.responseTokenIds)
        && Arrays.equals(responseLogprobs, t.responseLogprobs)
        && Objects.equals(reward, t.reward)
        && rewards.equals(t.rewards)
        && Objects.equals(messages, t.messages)
        && Objects.equals(responseText, t.responseText)
        && Objects.equals(spanId, t.spanId)
        && Arrays.equals(lossMask, t.lossMask)
        && Objects.equals(modelVersion, t.modelVersion)
        && Objects.equals(groupId, t.groupId)
        && Objects.equals(branch, t.branch)
        && turns == t.turns
        && Objects.equals(stopReason, t.stopReason);
  }

  @Override
  public int hashCode() {
    return Objects.hash(rolloutId, attemptId, sequenceId, turn, spanId, Arrays.hashCode(responseTokenIds));
  }

  @Override
  public String toString() {
    return "Triplet[rollout_id=" + rolloutId + ", attempt_id=" + attemptId + ", sequence_id=" + sequenceId
        + ", turn=" + turn + ", model=" + model + ", span_id=" + spanId + ", reward=" + reward
        + ", rewards=" + rewards + ", prompt_token_ids=" + Arrays.toString(promptTokenIds)
        + ", response_token_ids=" + Arrays.toString(responseTokenIds)
        + ", response_logprobs=" + Arrays.toString(responseLogprobs)
        + ", loss_mask=" + Arrays.toString(lossMask) + ", messages=" + messages
        + ", response_text=" + responseText + ", model_version=" + modelVersion + ", group_id=" + groupId
        + ", branch=" + branch + ", turns=" + turns + ", stop_reason=" + stopReason + "]";
  }
}
