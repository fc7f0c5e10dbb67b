package io.tracegate.dataset;

import io.tracegate.trace.Span;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Turns the spans of ONE rollout attempt (or of a rollout without attempts) into training triplets.
 *
 * <p>With {@link RewardMode#MATCHED} and no merge this is Agent Lightning's {@code LlmProxyTraceToTriplet},
 * so datasets built either way agree: spans are ordered by (sequence_id, start_time); an LLM call yields a
 * triplet only when it has prompt AND response token ids; a repeated response id is dropped; rewards are then
 * matched by sequence id (see {@link RewardMode}). Like Agent Lightning's Claude Code adapter it also drops calls
 * whose logprob count differs from their response token count (before the repeated-id check, as there), and it
 * drops calls that did not end ok. Calls that are dropped never receive a reward nor claim a response id, and a
 * call without a reward has a null reward, never 0.
 *
 * <p>Skip reasons counted in {@link AdapterResult#skipped()}: {@code error_status}, {@code missing_token_ids},
 * {@code logprob_count_mismatch}, {@code duplicate_response_id} (calls, checked in this order); {@code invalid_reward},
 * {@code unmatched_reward}, {@code superseded_reward} (rewards). Thread-safe and stateless.
 */
public final class TripletAdapter {

  private static final Comparator<Span> ORDER = Comparator
      .comparing(Span::sequenceId, Comparator.nullsLast(Comparator.naturalOrder()))
      .thenComparingLong(Span::startTimeUnixNano)
      .thenComparing(Span::spanId, Comparator.nullsLast(Comparator.naturalOrder()));

  private final AdapterOptions options;

  public TripletAdapter(AdapterOptions options) {
    this.options = Objects.requireNonNull(options, "options");
  }

  public AdapterOptions options() {
    return options;
  }

  /**
   * @param spans one attempt's spans in any order; spans of other kinds (annotations) are ignored
   * @return triplets in turn order ({@code turn} 0, 1, ...) and skip counts by reason
   */
  public AdapterResult adapt(Collection<Span> spans) {
    List<Span> ordered = new ArrayList<>(spans);
    ordered.sort(ORDER);
    if (options.semantics() == Semantics.AGL_V1) {
      return AglV1Extraction.adapt(ordered, options.merge());
    }
    Map<String, Long> skipped = new HashMap<>();
    Set<String> seenResponseIds = new HashSet<>();
    List<Triplet> calls = new ArrayList<>();
    List<RewardAssigner.Target> targets = new ArrayList<>();
    List<RewardAssigner.Reward> rewards = new ArrayList<>();
    for (Span span : ordered) {
      if (Span.KIND_LLM.equals(span.kind())) {
        String reason = skipReason(span, seenResponseIds);
        if (reason != null) {
          RewardAssigner.count(skipped, reason);
          continue;
        }
        calls.add(triplet(span, calls.size()));
        targets.add(new RewardAssigner.Target(span.spanId(), span.sequenceId()));
      } else if (Span.KIND_REWARD.equals(span.kind())) {
        Double value = RewardSpans.value(span);
        if (value == null) {
          RewardAssigner.count(skipped, "invalid_reward");
          continue;
        }
        rewards.add(new RewardAssigner.Reward(RewardSpans.name(span), value, span.sequenceId(),
            RewardSpans.targetSpanId(span)));
      }
    }
    List<Map<String, Double>> assigned = RewardAssigner.assign(targets, rewards, options, skipped);
    List<Triplet> rewarded = new ArrayList<>(calls.size());
    for (int i = 0; i < calls.size(); i++) {
      rewarded.add(calls.get(i).withRewards(assigned.get(i)));
    }
    DriftDetector.Result drift = DriftDetector.detect(rewarded);
    return new AdapterResult(options.merge() ? BranchMerger.merge(rewarded) : rewarded, skipped, drift.continuing(),
        drift.cases());
  }

  /**
   * Why an LLM span yields no triplet, or null when it does. Checked in Agent Lightning's order: status (ours),
   * token ids, logprob count, and the repeated response id last, so only a call that yields a triplet
   * registers its response id; a dropped call never hides a later valid call with the same id.
   */
  private static String skipReason(Span span, Set<String> seenResponseIds) {
    if (span.status() != null && !Span.STATUS_OK.equals(span.status())) {
      return "error_status";
    }
    int[] prompt = span.promptTokenIds();
    int[] response = span.responseTokenIds();
    if (prompt == null || prompt.length == 0 || response == null || response.length == 0) {
      return "missing_token_ids";
    }
    double[] logprobs = span.responseLogprobs();
    if (logprobs != null && logprobs.length != response.length) {
      return "logprob_count_mismatch";
    }
    String responseId = SpanContent.responseId(span);
    if (responseId != null && !seenResponseIds.add(responseId)) {
      return "duplicate_response_id";
    }
    return null;
  }

  static Triplet triplet(Span span, int turn) {
    String model = span.backendModel() != null ? span.backendModel() : span.frontendModel();
    return new Triplet(span.rolloutId(), span.attemptId(), span.sequenceId(), turn, model,
        span.promptTokenIds(), span.responseTokenIds(), span.responseLogprobs(), null, Map.of(),
        SpanContent.messages(span), SpanContent.responseText(span), span.spanId(), null, span.modelVersion(),
        null, null, 1, SpanContent.stopReason(span));
  }
}
