package io.tracegate.dataset;

/**
 * Reward statistics of one group (rollouts of the same task, {@code group_id}) over the rewarded rows of an
 * export, as verl's {@code compute_grpo_outcome_advantage} computes them: with two or more rewards, their mean and
 * sample standard deviation (n - 1); with one, mean 0 and std 1 (so that row's advantage is its reward).
 * A row's advantage is {@code (reward - mean) / (std + 1e-6)}.
 *
 * @param size rewarded rows of the group in the export
 */
public record GroupStats(long size, double mean, double std) {

  public static final double EPSILON = 1e-6;

  /** From the count, sum and sum of squares of the rewards (n >= 1). */
  static GroupStats of(long n, double sum, double sumOfSquares) {
    if (n == 1) {
      return new GroupStats(1, 0.0, 1.0);
    }
    double mean = sum / n;
    double variance = Math.max(0.0, (sumOfSquares - n * mean * mean) / (n - 1));
    return new GroupStats(n, mean, Math.sqrt(variance));
  }

  /** The normalised advantage of a row with this reward, or null for a row without one. */
  public Double advantage(Double reward) {
    return reward == null ? null : (reward - mean) / (std + EPSILON);
  }
}
