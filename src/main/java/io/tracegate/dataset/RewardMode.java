package io.tracegate.dataset;

/**
 * How untargeted rewards are placed on a rollout attempt's LLM calls. A reward with a
 * {@link RewardSpans#SPAN_ID} always goes to that call, in every mode. See docs/dataset.md for examples.
 */
public enum RewardMode {
  /**
   * Agent Lightning's rule, exactly: rewards in sequence order, each to the most recent not-yet-rewarded call
   * whose sequence id is strictly less than the reward's. Applied per reward name, so with one name it is
   * identical to Agent Lightning, and several named rewards after the same call all land on it.
   */
  MATCHED,
  /** The final reward (per name) goes to the last call; other calls get none. */
  LAST,
  /** Every call gets the final reward (per name). */
  BROADCAST,
  /** The last call gets the final reward R, the call k turns before it gets gamma^k * R. */
  DISCOUNTED
}
