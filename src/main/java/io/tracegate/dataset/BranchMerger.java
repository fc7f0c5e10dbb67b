package io.tracegate.dataset;

import java.util.ArrayList;
import java.util.List;

/**
 * Merge mode: a prefix tree per attempt. Claude Code interleaves several conversations in one rollout (its Task
 * sub-agents, context compaction, the small model's side calls), so a call does not necessarily continue the call
 * before it. Each call extends the open branch whose prompt + response (its last turn's) its prompt starts with,
 * the longest one when several do; a call that extends none (a new conversation, a fork from an earlier turn, or
 * a re-rendered history: see {@link DriftDetector}) starts a new branch. One row per branch, in the order the
 * branches started; {@code turn} and {@code branch} are that index, {@code turns} the calls merged into it.
 * Memory: the branches of one attempt.
 */
final class BranchMerger {

  private BranchMerger() {}

  /** @param calls one attempt's triplets in call order (each with a null loss mask) */
  static List<Triplet> merge(List<Triplet> calls) {
    List<MergedSample> branches = new ArrayList<>();
    for (Triplet call : calls) {
      MergedSample best = null;
      int bestLength = -1;
      for (MergedSample branch : branches) {
        int length = branch.extendedLength(call);
        if (length > bestLength) {
          best = branch;
          bestLength = length;
        }
      }
      if (best != null) {
        best.append(call);
      } else {
        branches.add(new MergedSample(call));
      }
    }
    List<Triplet> rows = new ArrayList<>(branches.size());
    for (int i = 0; i < branches.size(); i++) {
      rows.add(branches.get(i).build(i, i));
    }
    return rows;
  }
}
