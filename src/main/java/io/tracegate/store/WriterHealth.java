package io.tracegate.store;

/**
 * Whether {@link BatchingSpanWriter} is keeping up and its store accepting writes, for {@code /health} and
 * {@code /metrics}.
 *
 * @param queueDepth spans accepted but not yet taken by the writer
 * @param queueCapacity the queue's bound ({@code store.queue_capacity}); spans beyond it are dropped
 * @param failedWrites store writes (batches) that failed since start
 * @param failingWrites consecutive failed store writes up to now: 0 once a write succeeds again
 * @param failingSpans spans lost in those {@code failingWrites} (0 while the store is only unreachable: the writer
 *     keeps the batch and retries it)
 * @param lastError message of the latest failed write (null before any)
 * @param lastFailureUnixMillis when it failed (0 before any)
 */
public record WriterHealth(
    int queueDepth,
    int queueCapacity,
    long failedWrites,
    long failingWrites,
    long failingSpans,
    String lastError,
    long lastFailureUnixMillis) {

  /** Share of the queue in use above which the writer is reported as not keeping up. */
  public static final double QUEUE_ALERT_FRACTION = 0.9;

  /** True while the latest store write failed (no write succeeded after it). */
  public boolean writesFailing() {
    return failingWrites > 0;
  }

  /** True while more than {@link #QUEUE_ALERT_FRACTION} of the queue is in use. */
  public boolean queueNearlyFull() {
    return queueDepth > QUEUE_ALERT_FRACTION * queueCapacity;
  }
}
