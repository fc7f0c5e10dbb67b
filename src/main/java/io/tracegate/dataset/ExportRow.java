package io.tracegate.dataset;

import java.util.Arrays;

/**
 * A triplet with what the export as a whole knows about it, which trainer schemas need: its position, its
 * rollout's and group's ordinals, whether it is the last row of its attempt, and its group's reward statistics.
 *
 * @param index 0-based row number in the export
 * @param rolloutIndex 0-based ordinal of the row's rollout in the export (slime's integer {@code rollout_id})
 * @param groupIndex 0-based ordinal of the row's group in the export (first seen first), null without a group
 * @param repetition 0-based ordinal of the row's attempt within its group (SkyRL's {@code repetition_id}); for a
 *     rollout without a group, of the attempt within the rollout
 * @param lastOfAttempt the last row written for its attempt (SkyRL's {@code is_last_step})
 * @param group the group's reward statistics ({@code --group-stats}), or null
 */
public record ExportRow(Triplet triplet, long index, long rolloutIndex, Long groupIndex, long repetition,
    boolean lastOfAttempt, GroupStats group) {

  /** A row exported on its own (no export context): index, ordinals 0, last of its attempt, no statistics. */
  public static ExportRow alone(Triplet triplet, long index) {
    return new ExportRow(triplet, index, 0, triplet.groupId() == null ? null : 0L, 0, true, null);
  }

  /** The loss mask, all ones when the row is a single call (no merge). */
  int[] mask() {
    if (triplet.lossMask() != null) {
      return triplet.lossMask();
    }
    int[] ones = new int[triplet.responseTokenIds().length];
    Arrays.fill(ones, 1);
    return ones;
  }

  /** Prompt then response ids (slime's {@code tokens}). */
  int[] tokens() {
    int[] prompt = triplet.promptTokenIds();
    int[] response = triplet.responseTokenIds();
    int[] all = Arrays.copyOf(prompt, prompt.length + response.length);
    System.arraycopy(response, 0, all, prompt.length, response.length);
    return all;
  }

  Double advantage() {
    return group == null ? null : group.advantage(triplet.reward());
  }

  /** The trajectory's instance: its group, else its rollout (SkyRL's {@code instance_id}). */
  String instanceId() {
    return triplet.groupId() != null ? triplet.groupId() : triplet.rolloutId();
  }
}
