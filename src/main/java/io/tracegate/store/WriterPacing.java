package io.tracegate.store;

import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * Keeps the span writer from holding a CPU that an event loop is waiting for. The writer thread calls it
 * between units of work (a span built, a span written); once {@code sliceNanos} have passed since it last
 * offered the CPU, it offers it again ({@link Thread#yield}) unless the backlog has reached
 * {@code busyBacklog}.
 *
 * <p>Why: a writer batch is milliseconds of CPU in one stretch. On a core it shares with an event loop,
 * the scheduler lets the writer run out its time slice (a few ms) before the event loop runs again, so a
 * request that arrives meanwhile waits that long: at 2,000 req/s that was the p99. Offering the CPU every
 * {@code sliceNanos} of work bounds the wait to about that (plus one unit: a large span is one unit); when
 * nothing else is runnable a yield returns at once. Under saturation the event loop is always runnable and
 * a writer that kept yielding would starve until the queue overflowed, so from {@code busyBacklog} queued
 * spans on the writer takes its fair share and stops offering until it has caught up.
 *
 * <p>Not thread-safe: one instance per writer thread.
 */
final class WriterPacing implements Runnable {

  private final long sliceNanos;
  private final IntSupplier backlog;
  private final int busyBacklog;
  private final LongSupplier nanoClock;
  private final Runnable yielder;
  private long sliceStart;

  /**
   * @param sliceNanos writer work between offers of the CPU
   * @param backlog spans waiting behind the ones in hand
   * @param busyBacklog backlog from which the writer stops offering the CPU
   * @param nanoClock {@link System#nanoTime} outside tests
   * @param yielder what offering the CPU means ({@link Thread#yield} outside tests)
   */
  WriterPacing(long sliceNanos, IntSupplier backlog, int busyBacklog, LongSupplier nanoClock, Runnable yielder) {
    if (sliceNanos < 1 || busyBacklog < 1) {
      throw new IllegalArgumentException(
          "sliceNanos and busyBacklog must be >= 1, got " + sliceNanos + ", " + busyBacklog);
    }
    this.sliceNanos = sliceNanos;
    this.backlog = backlog;
    this.busyBacklog = busyBacklog;
    this.nanoClock = nanoClock;
    this.yielder = yielder;
    this.sliceStart = nanoClock.getAsLong();
  }

  static WriterPacing yieldingThread(long sliceNanos, IntSupplier backlog, int busyBacklog) {
    return new WriterPacing(sliceNanos, backlog, busyBacklog, System::nanoTime, Thread::yield);
  }

  @Override
  public void run() {
    long now = nanoClock.getAsLong();
    if (now - sliceStart < sliceNanos) {
      return;
    }
    if (backlog.getAsInt() < busyBacklog) {
      yielder.run();
      now = nanoClock.getAsLong();
    }
    sliceStart = now;
  }
}
