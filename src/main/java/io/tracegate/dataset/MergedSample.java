package io.tracegate.dataset;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * A merged sample being built from the turns of one conversation: the first turn's prompt, then each later turn's
 * inserted prompt tokens (loss mask 0, logprob 0.0) and its response tokens (loss mask 1, its logprobs). Arrays
 * grow by doubling. Logprobs on masked positions are 0.0 (not NaN: NaN is not JSON and poisons sums); a sample
 * whose turns do not all have logprobs has none. The sample keeps the identity, messages and text of its LAST
 * turn, and for each reward name the value of the latest turn that has one.
 */
final class MergedSample {
  private final int[] prompt;
  private int[] response;
  private int[] mask;
  private double[] logprobs;
  private int length;
  private int turns;
  private Triplet last;
  private final Map<String, Double> rewards = new TreeMap<>();

  MergedSample(Triplet first) {
    prompt = first.promptTokenIds();
    response = new int[Math.max(16, first.responseTokenIds().length * 2)];
    mask = new int[response.length];
    logprobs = first.responseLogprobs() == null ? null : new double[response.length];
    addResponse(first);
  }

  /** True when the turn's prompt starts with this sample's prompt + response (its last turn's prompt + response). */
  boolean isExtendedBy(Triplet turn) {
    return extendedLength(turn) >= 0;
  }

  /** Length of this sample's prompt + response when the turn's prompt starts with it, else -1. */
  int extendedLength(Triplet turn) {
    int[] next = turn.promptTokenIds();
    if (next.length < prompt.length + length) {
      return -1;
    }
    boolean extends_ = Arrays.equals(next, 0, prompt.length, prompt, 0, prompt.length)
        && Arrays.equals(next, prompt.length, prompt.length + length, response, 0, length);
    return extends_ ? prompt.length + length : -1;
  }

  void append(Triplet turn) {
    int[] next = turn.promptTokenIds();
    int inserted = next.length - prompt.length - length;
    ensure(length + inserted + turn.responseTokenIds().length);
    System.arraycopy(next, prompt.length + length, response, length, inserted);
    // mask and logprobs are already 0 / 0.0 in fresh capacity
    length += inserted;
    if (turn.responseLogprobs() == null) {
      logprobs = null;
    }
    addResponse(turn);
  }

  private void addResponse(Triplet turn) {
    int[] ids = turn.responseTokenIds();
    ensure(length + ids.length);
    System.arraycopy(ids, 0, response, length, ids.length);
    Arrays.fill(mask, length, length + ids.length, 1);
    if (logprobs != null) {
      System.arraycopy(turn.responseLogprobs(), 0, logprobs, length, ids.length);
    }
    length += ids.length;
    rewards.putAll(turn.rewards());
    last = turn;
    turns++;
  }

  private void ensure(int capacity) {
    if (capacity > response.length) {
      int size = Math.max(capacity, response.length * 2);
      response = Arrays.copyOf(response, size);
      mask = Arrays.copyOf(mask, size);
      if (logprobs != null) {
        logprobs = Arrays.copyOf(logprobs, size);
      }
    }
  }

  /** The row: {@code turn} its index in the attempt's output, {@code branch} its conversation branch. */
  Triplet build(long turnIndex, long branch) {
    return new Triplet(last.rolloutId(), last.attemptId(), last.sequenceId(), turnIndex, last.model(), prompt,
        Arrays.copyOf(response, length), logprobs == null ? null : Arrays.copyOf(logprobs, length),
        Triplet.sum(rewards), rewards, last.messages(), last.responseText(), last.spanId(),
        Arrays.copyOf(mask, length), last.modelVersion(), last.groupId(), branch, turns, last.stopReason());
  }
}
