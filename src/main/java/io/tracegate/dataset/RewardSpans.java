package io.tracegate.dataset;

import io.tracegate.trace.Span;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The shape of a reward span, shared by whoever records rewards (HTTP API, CLI) and the
 * {@link TripletAdapter} that reads them. A reward is a span of kind {@code "reward"} with its own sequence id in
 * the rollout's sequence, so the order of calls and rewards is the order of sequence ids (see DESIGN.md).
 */
public final class RewardSpans {

  /** Reward name attribute (String); {@value #DEFAULT_NAME} when absent. */
  public static final String NAME = "tracegate.reward.name";
  /** Reward value attribute (a finite number). */
  public static final String VALUE = "tracegate.reward.value";
  /** Optional attribute: span id of the LLM call this reward is for; without it, the reward mode decides. */
  public static final String SPAN_ID = "tracegate.reward.span_id";
  /** The name of a reward that was given none. */
  public static final String DEFAULT_NAME = "reward";

  private RewardSpans() {}

  /**
   * Builds a reward span. Its {@code name} is {@code "reward <name>"}, start and end are both
   * {@code timeUnixNano}, status ok, and a fresh random 16-hex span id.
   *
   * @param name reward name, {@value #DEFAULT_NAME} when null or blank
   * @param targetSpanId the LLM call this reward is for, or null to let the reward mode place it
   * @throws IllegalArgumentException when {@code value} is NaN or infinite (a reward must be a number to train on)
   */
  public static Span reward(String rolloutId, String attemptId, long sequenceId, String name, double value,
      String targetSpanId, long timeUnixNano) {
    return reward(rolloutId, attemptId, sequenceId, name, value, targetSpanId, timeUnixNano, null, null);
  }

  /**
   * A reward span in a trace: {@code traceId} (null: none) and {@code parentId} (null: none), e.g. the trace of
   * the call it rewards with that call as its parent, so an OTLP backend shows the reward under the call.
   */
  public static Span reward(String rolloutId, String attemptId, long sequenceId, String name, double value,
      String targetSpanId, long timeUnixNano, String traceId, String parentId) {
    Objects.requireNonNull(rolloutId, "rolloutId");
    if (!Double.isFinite(value)) {
      throw new IllegalArgumentException("reward value must be a finite number, got " + value);
    }
    String rewardName = name == null || name.isBlank() ? DEFAULT_NAME : name;
    Map<String, Object> attributes = new LinkedHashMap<>();
    attributes.put(NAME, rewardName);
    attributes.put(VALUE, value);
    if (targetSpanId != null) {
      attributes.put(SPAN_ID, targetSpanId);
    }
    return new Span(randomSpanId(), traceId, parentId, rolloutId, attemptId, sequenceId, Span.KIND_REWARD,
        "reward " + rewardName, timeUnixNano, timeUnixNano, null, Span.STATUS_OK, null, null, null, null, null,
        null, null, null, null, null, null, null, null, null, Map.copyOf(attributes));
  }

  /** The reward's name: the {@link #NAME} attribute, {@value #DEFAULT_NAME} when absent or blank. */
  public static String name(Span span) {
    Object name = span.attributes().get(NAME);
    return name == null || name.toString().isBlank() ? DEFAULT_NAME : name.toString();
  }

  /**
   * The reward's value, or null when it is missing or not a finite number. Accepts any {@link Number}
   * (a store round trip may turn 1.0 into 1) and numeric strings.
   */
  public static Double value(Span span) {
    Object raw = span.attributes().get(VALUE);
    double v;
    if (raw instanceof Number n) {
      v = n.doubleValue();
    } else if (raw instanceof String s) {
      try {
        v = Double.parseDouble(s.trim());
      } catch (NumberFormatException e) {
        return null;
      }
    } else {
      return null;
    }
    return Double.isFinite(v) ? v : null;
  }

  /** The span id this reward targets, or null. */
  public static String targetSpanId(Span span) {
    Object target = span.attributes().get(SPAN_ID);
    return target == null || target.toString().isBlank() ? null : target.toString();
  }

  private static String randomSpanId() {
    long id;
    do {
      id = ThreadLocalRandom.current().nextLong();
    } while (id == 0);
    return String.format("%016x", id);
  }
}
