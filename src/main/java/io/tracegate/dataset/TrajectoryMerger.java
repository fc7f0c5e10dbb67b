package io.tracegate.dataset;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Merge mode: joins consecutive turns of one conversation into one sample. A turn extends the current sample
 * when its prompt ids start with the sample's prompt + response ids (the previous turn's prompt + response):
 * the new prompt tokens after that prefix (tool results, user messages, chat-template glue) are appended to the
 * response with loss mask 0, then the turn's response with loss mask 1. A turn that does not extend starts a
 * new sample. This trains on a whole agent trajectory once instead of re-feeding its growing prefix per turn.
 *
 * <p>The sample's {@code model_version} is its last turn's: turns served by different policy versions are still
 * merged (filter on the version, or leave merge off, when mixing them matters).
 *
 * <p>Logprobs on masked positions are 0.0 (not NaN: NaN is not JSON and poisons sums); a sample whose turns do
 * not all have logprobs has none. The sample keeps the identity, messages and text of its LAST turn, and for
 * each reward name the value of the latest turn that has one (so LAST/BROADCAST/DISCOUNTED give the sample the
 * value of its final turn).
 */
final class TrajectoryMerger {

  private TrajectoryMerger() {}

  /** @param turns one attempt's triplets in turn order (each with a null loss mask) */
  static List<Triplet> merge(List<Triplet> turns) {
    List<Triplet> samples = new ArrayList<>();
    Sample current = null;
    for (Triplet turn : turns) {
      if (current != null && current.isExtendedBy(turn)) {
        current.append(turn);
      } else {
        if (current != null) {
          samples.add(current.build(samples.size()));
        }
        current = new Sample(turn);
      }
    }
    if (current != null) {
      samples.add(current.build(samples.size()));
    }
    return samples;
  }

  /** A sample being built; arrays grow by doubling. */
  private static final class Sample {
    private final int[] prompt;
    private int[] response;
    private int[] mask;
    private double[] logprobs;
    private int length;
    private Triplet last;
    private final Map<String, Double> rewards = new TreeMap<>();

    Sample(Triplet first) {
      prompt = first.promptTokenIds();
      response = new int[Math.max(16, first.responseTokenIds().length * 2)];
      mask = new int[response.length];
      logprobs = first.responseLogprobs() == null ? null : new double[response.length];
      addResponse(first);
    }

    /** True when the turn's prompt starts with this sample's prompt + response. */
    boolean isExtendedBy(Triplet turn) {
      int[] next = turn.promptTokenIds();
      if (next.length < prompt.length + length) {
        return false;
      }
      return Arrays.equals(next, 0, prompt.length, prompt, 0, prompt.length)
          && Arrays.equals(next, prompt.length, prompt.length + length, response, 0, length);
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

    Triplet build(long turnIndex) {
      return new Triplet(last.rolloutId(), last.attemptId(), last.sequenceId(), turnIndex, last.model(), prompt,
          Arrays.copyOf(response, length), logprobs == null ? null : Arrays.copyOf(logprobs, length),
          Triplet.sum(rewards), rewards, last.messages(), last.responseText(), last.spanId(),
          Arrays.copyOf(mask, length), last.modelVersion());
    }
  }
}
