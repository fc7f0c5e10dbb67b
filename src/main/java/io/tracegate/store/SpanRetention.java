package io.tracegate.store;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * {@code store.retention}: drops the spans older than the retention in the background, at start and then every
 * {@link #INTERVAL}, on a thread of its own (never an event loop, never the span writer's). A failure is logged
 * (throttled) and tried again at the next round; it never reaches a request.
 */
public final class SpanRetention implements AutoCloseable {

  static final Duration INTERVAL = Duration.ofHours(1);
  private static final System.Logger LOG = System.getLogger(SpanRetention.class.getName());

  private final SpanStore store;
  private final Duration keep;
  private final LongSupplier nowUnixNano;
  private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "tracegate-retention");
    t.setDaemon(true);
    return t;
  });
  private final ThrottledLog failures = new ThrottledLog(LOG, TimeUnit.MINUTES.toNanos(10), System::nanoTime);

  private SpanRetention(SpanStore store, Duration keep, LongSupplier nowUnixNano) {
    this.store = store;
    this.keep = keep;
    this.nowUnixNano = nowUnixNano;
  }

  /** Starts dropping spans older than {@code keep} from {@code store}, now and every hour. */
  public static SpanRetention start(SpanStore store, Duration keep) {
    SpanRetention r = new SpanRetention(store, keep,
        () -> TimeUnit.MILLISECONDS.toNanos(System.currentTimeMillis()));
    r.thread.scheduleWithFixedDelay(r::runOnce, 0, INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    return r;
  }

  /** One round: drops what is older than the retention now. */
  void runOnce() {
    try {
      long dropped = store.dropSpansBefore(nowUnixNano.getAsLong() - keep.toNanos());
      if (dropped > 0) {
        LOG.log(System.Logger.Level.INFO, "retention: dropped " + dropped + " span(s) older than " + keep
            + " from " + store.describe());
      }
    } catch (RuntimeException e) {
      failures.warn("retention: could not drop old spans from " + store.describe() + "; trying again in "
          + INTERVAL, e);
    }
  }

  /** Stops the rounds, waiting for one in progress. */
  @Override
  public void close() {
    thread.shutdownNow();
    try {
      thread.awaitTermination(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
