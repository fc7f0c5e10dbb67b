package io.tracegate.auth;

/**
 * A per-minute limit as a token bucket: holds at most {@code perMinute} tokens, refilled continuously at
 * {@code perMinute} a minute. A request needs a positive balance; what it costs is taken when known (a request
 * costs 1 at admission; tokens are taken after the call, from its usage, so the balance may go negative and then
 * refuses requests until it has refilled). Synchronized: its critical sections are a few arithmetic operations.
 */
final class TokenBucket {
  private static final double NANOS_PER_MINUTE = 60e9;
  private final double capacity;
  private final double perNano;
  private double balance;
  private long updatedNanos;

  TokenBucket(long perMinute, long nowNanos) {
    this.capacity = perMinute;
    this.perNano = perMinute / NANOS_PER_MINUTE;
    this.balance = perMinute;
    this.updatedNanos = nowNanos;
  }

  /**
   * Takes {@code cost} when the balance covers it (at least {@code cost}, or, with cost 0, positive).
   *
   * @return 0 when taken, else the nanoseconds until it would be
   */
  synchronized long tryTake(double cost, long nowNanos) {
    refill(nowNanos);
    double needed = Math.max(cost, Double.MIN_VALUE);
    if (balance >= needed) {
      balance -= cost;
      return 0;
    }
    return Math.max(1, (long) Math.ceil((needed - balance) / perNano));
  }

  /** Takes {@code cost} whatever the balance (usage counted after the call). */
  synchronized void take(double cost, long nowNanos) {
    refill(nowNanos);
    balance -= cost;
  }

  private void refill(long nowNanos) {
    long elapsed = nowNanos - updatedNanos;
    if (elapsed > 0) {
      balance = Math.min(capacity, balance + elapsed * perNano);
      updatedNanos = nowNanos;
    }
  }
}
