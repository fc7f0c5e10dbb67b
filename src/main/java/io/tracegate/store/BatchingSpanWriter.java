package io.tracegate.store;

import io.tracegate.config.StoreConfig;
import io.tracegate.trace.Span;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The only path by which spans reach a {@link SpanStore}. Event loops hand over a {@code Supplier<Span>}
 * and return at once: the span is built and written on one dedicated thread, in batches of up to
 * {@code batchSize} per transaction, so neither JSON assembly nor JDBC ever runs on an event loop and
 * the client never waits for storage. The queue is bounded; when it is full, new spans are dropped and
 * counted rather than slowing the proxy down. A failing supplier or store is counted and logged
 * (throttled) and never reaches the submitter, and the writer keeps going. A store that is unreachable
 * ({@link StoreUnavailableException}: database down or restarting) loses nothing: the writer keeps the batch and
 * retries it with backoff ({@value #RETRY_FIRST_MILLIS} ms doubling to {@value #RETRY_MAX_MILLIS} ms) while new
 * spans wait in the bounded queue, beyond which they are dropped and counted. While its backlog is short the
 * writer offers the CPU after every ~100 us of work ({@link WriterPacing}), so event loops on the same core
 * are not held up for a whole batch. After each write, the spans it built go to an optional listener (the
 * OTLP export), on this thread, whatever the store did with them; the listener must not block.
 */
public final class BatchingSpanWriter implements AutoCloseable {

  public static final String THREAD_NAME = "tracegate-span-writer";

  private static final System.Logger LOG = System.getLogger(BatchingSpanWriter.class.getName());
  private static final long LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(5);
  private static final long STOP_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
  private static final Object STOP = new Object();
  /** Longest sleep while collecting a batch: bounds how late a flush or stop marker is noticed. */
  private static final long MAX_NAP_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
  /** First wait before retrying a batch the store could not take because it is unreachable; doubles up to the max. */
  static final long RETRY_FIRST_MILLIS = 100;
  static final long RETRY_MAX_MILLIS = 5_000;
  /** After close(), how long a batch still waits for an unreachable store before it is counted as failed. */
  static final long RETRY_AFTER_CLOSE_MILLIS = 10_000;
  /** Writer work between offers of the CPU: about the longest an event loop on the same core waits. */
  private static final long PACING_SLICE_NANOS = TimeUnit.MICROSECONDS.toNanos(100);

  private final SpanStore store;
  private final int batchSize;
  private final int queueCapacity;
  private final long flushIntervalNanos;
  /** Spans ({@code Supplier<Span>}), {@link FlushMarker}s and finally {@link #STOP}, in submission order. */
  private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
  /** Spans reserved or queued but not yet taken by the writer: the bound, and the depth gauge. */
  private final AtomicInteger queued = new AtomicInteger();
  private final AtomicLong accepted = new AtomicLong();
  private final AtomicLong persisted = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong failedWrites = new AtomicLong();
  /** Health of the latest store write; replaced as a whole by the writer thread only. */
  private volatile WriteOutcome lastWrite = WriteOutcome.NONE;
  private final ThrottledLog buildFailures = new ThrottledLog(LOG, LOG_INTERVAL_NANOS, System::nanoTime);
  private final ThrottledLog storeFailures = new ThrottledLog(LOG, LOG_INTERVAL_NANOS, System::nanoTime);
  private final ThrottledLog listenerFailures = new ThrottledLog(LOG, LOG_INTERVAL_NANOS, System::nanoTime);
  private final Consumer<List<Span>> built;
  private final AtomicBoolean closing = new AtomicBoolean();
  private final CompletableFuture<Void> terminated = new CompletableFuture<>();
  private final Thread thread;
  private final WriterPacing pacing;
  private volatile boolean closed;
  private volatile boolean finished;

  private BatchingSpanWriter(SpanStore store, int batchSize, int queueCapacity, Duration flushInterval,
      Consumer<List<Span>> built) {
    this.store = Objects.requireNonNull(store, "store");
    this.built = built;
    if (batchSize < 1 || queueCapacity < 1 || flushInterval.isNegative()) {
      throw new IllegalArgumentException("batchSize and queueCapacity must be >= 1 and flushInterval >= 0, got "
          + batchSize + ", " + queueCapacity + ", " + flushInterval);
    }
    this.batchSize = batchSize;
    this.queueCapacity = queueCapacity;
    this.flushIntervalNanos = flushInterval.toNanos();
    this.pacing = WriterPacing.yieldingThread(PACING_SLICE_NANOS, queued::get, batchSize);
    this.thread = new Thread(this::run, THREAD_NAME);
    thread.setDaemon(true);
  }

  /** Starts a writer with the batch size, queue capacity and flush interval of {@code config}. */
  public static BatchingSpanWriter start(SpanStore store, StoreConfig config) {
    return start(store, config, null);
  }

  /**
   * Starts a writer with the settings of {@code config} that also hands every batch of built spans to
   * {@code built} (null: nobody), on the writer thread, after the store write; it must return quickly and never
   * block (what it throws is counted nowhere, logged throttled, and ignored).
   */
  public static BatchingSpanWriter start(SpanStore store, StoreConfig config, Consumer<List<Span>> built) {
    BatchingSpanWriter writer = new BatchingSpanWriter(store, config.batchSize(), config.queueCapacity(),
        config.flushInterval(), built);
    writer.thread.start();
    return writer;
  }

  public static BatchingSpanWriter start(SpanStore store, int batchSize, int queueCapacity, Duration flushInterval) {
    BatchingSpanWriter writer = new BatchingSpanWriter(store, batchSize, queueCapacity, flushInterval, null);
    writer.thread.start();
    return writer;
  }

  /**
   * Queues a span for writing without blocking; safe to call from an event loop. {@code pending} is
   * invoked later on the writer thread.
   *
   * @return false (and counts the span as dropped) when the queue is full or the writer is closed
   */
  public boolean submit(Supplier<Span> pending) {
    Objects.requireNonNull(pending, "pending");
    int depth = queued.incrementAndGet();
    // Reserve first, then read `closed`: close() sets `closed` before the writer's final check of
    // `queued`, so a span accepted here is always seen by that final drain.
    if (closed || depth > queueCapacity) {
      queued.decrementAndGet();
      dropped.incrementAndGet();
      return false;
    }
    accepted.incrementAndGet();
    queue.offer(pending);
    if (depth == batchSize) {
      LockSupport.unpark(thread); // a whole batch is waiting: no need to finish the writer's nap
    }
    return true;
  }

  /** Completes when every span accepted before this call is persisted or counted as failed. */
  public CompletableFuture<Void> flush() {
    if (finished) {
      return CompletableFuture.completedFuture(null);
    }
    FlushMarker marker = new FlushMarker(new CompletableFuture<>());
    queue.offer(marker);
    LockSupport.unpark(thread);
    if (finished) {
      completeLeftovers();
    }
    return marker.done().copy();
  }

  public WriterStats stats() {
    return new WriterStats(accepted.get(), persisted.get(), failed.get(), dropped.get(),
        Math.max(0, queued.get()));
  }

  /** Queue use and whether the store is failing; see {@link WriterHealth}. */
  public WriterHealth health() {
    WriteOutcome w = lastWrite;
    return new WriterHealth(Math.max(0, queued.get()), queueCapacity, failedWrites.get(), w.failingWrites(),
        w.failingSpans(), w.lastError(), w.lastFailureUnixMillis());
  }

  /**
   * Stops accepting spans, writes every span already accepted, then returns. The store stays open: its
   * owner closes it after this. Idempotent.
   */
  @Override
  public void close() {
    closed = true;
    if (closing.compareAndSet(false, true)) {
      queue.offer(STOP);
      LockSupport.unpark(thread);
    }
    if (Thread.currentThread() != thread) {
      terminated.join();
    }
  }

  private void run() {
    List<Supplier<Span>> batch = new ArrayList<>(Math.min(batchSize, 4096));
    List<CompletableFuture<Void>> flushes = new ArrayList<>();
    try {
      boolean stop = false;
      while (!stop) {
        stop = collect(take(), batch, flushes);
        write(batch, flushes);
      }
      drainAfterStop(batch, flushes);
    } catch (Throwable t) {
      LOG.log(System.Logger.Level.ERROR, "span writer stopped unexpectedly", t);
      throw t;
    } finally {
      finished = true;
      completeLeftovers();
      flushes.forEach(f -> f.complete(null));
      terminated.complete(null);
    }
  }

  /**
   * Fills {@code batch} starting with {@code first} until it is full, a flush or stop marker arrives, or
   * {@code flushInterval} has passed since {@code first}.
   *
   * <p>While collecting, the writer sleeps in short naps and takes whatever arrived, instead of blocking on
   * the queue: a blocked consumer is woken (a futex call and two context switches) by every single offer,
   * which on a busy event loop sharing a core with this thread costs more than writing the span.
   * {@link #submit} wakes it early only when a whole batch is waiting.
   *
   * @return true when the stop marker was taken
   */
  @SuppressWarnings("unchecked")
  private boolean collect(Object first, List<Supplier<Span>> batch, List<CompletableFuture<Void>> flushes) {
    long deadline = System.nanoTime() + flushIntervalNanos;
    Object item = first;
    while (true) {
      if (item == STOP) {
        return true;
      }
      if (item instanceof FlushMarker marker) {
        flushes.add(marker.done());
        return false;
      }
      batch.add((Supplier<Span>) item);
      queued.decrementAndGet();
      if (batch.size() >= batchSize) {
        return false;
      }
      item = queue.poll();
      while (item == null) {
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0) {
          return false;
        }
        LockSupport.parkNanos(this, Math.min(remaining, MAX_NAP_NANOS));
        item = queue.poll();
      }
    }
  }

  /** After the stop marker: writes spans accepted in a race with {@link #close()}, until none is left. */
  @SuppressWarnings("unchecked")
  private void drainAfterStop(List<Supplier<Span>> batch, List<CompletableFuture<Void>> flushes) {
    while (true) {
      Object item = queue.poll();
      if (item == null) {
        if (queued.get() <= 0) {
          break;
        }
        item = poll(STOP_POLL_NANOS);
        if (item == null) {
          continue;
        }
      }
      if (item instanceof FlushMarker marker) {
        flushes.add(marker.done());
      } else if (item != STOP) {
        batch.add((Supplier<Span>) item);
        queued.decrementAndGet();
      }
      if (batch.size() >= batchSize || !flushes.isEmpty()) {
        write(batch, flushes);
      }
    }
    write(batch, flushes);
  }

  /** Builds and appends one batch, then completes the flushes that waited for it. Never throws. */
  private void write(List<Supplier<Span>> batch, List<CompletableFuture<Void>> flushes) {
    List<Span> spans = new ArrayList<>(batch.size());
    for (Supplier<Span> pending : batch) {
      try {
        Span span = pending.get();
        if (span == null) {
          throw new IllegalStateException("span supplier returned null");
        }
        spans.add(span);
      } catch (Throwable t) {
        failed.incrementAndGet();
        buildFailures.warn("could not build a span; it is not stored", t);
      }
      pacing.run();
    }
    batch.clear();
    if (!spans.isEmpty()) {
      append(spans);
      if (built != null) {
        try {
          built.accept(spans);
        } catch (Throwable t) {
          listenerFailures.warn("the span listener failed on " + spans.size() + " spans", t);
        }
      }
    }
    flushes.forEach(f -> f.complete(null));
    flushes.clear();
  }

  /**
   * Appends one batch: written, or lost and counted when the store refuses it, or kept and retried with backoff
   * while the store is unreachable (until {@link #RETRY_AFTER_CLOSE_MILLIS} after close()).
   */
  private void append(List<Span> spans) {
    long backoff = RETRY_FIRST_MILLIS;
    long giveUpAt = Long.MAX_VALUE;
    while (true) {
      try {
        store.append(spans, pacing);
        persisted.addAndGet(spans.size());
        if (lastWrite.failingWrites() > 0) {
          lastWrite = lastWrite.recovered();
        }
        return;
      } catch (StoreUnavailableException t) {
        failedWrites.incrementAndGet();
        lastWrite = lastWrite.waiting(message(t), System.currentTimeMillis());
        if (closed && giveUpAt == Long.MAX_VALUE) {
          giveUpAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(RETRY_AFTER_CLOSE_MILLIS);
        }
        if (System.nanoTime() >= giveUpAt) {
          failed.addAndGet(spans.size());
          storeFailures.warn("could not write " + spans.size() + " spans to " + store.describe()
              + " before shutting down; they are lost", t);
          return;
        }
        storeFailures.warn("cannot reach " + store.describe() + "; keeping " + spans.size()
            + " spans and retrying in " + backoff + " ms", t);
        LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(backoff));
        backoff = Math.min(backoff * 2, RETRY_MAX_MILLIS);
      } catch (Throwable t) {
        failed.addAndGet(spans.size());
        failedWrites.incrementAndGet();
        lastWrite = lastWrite.failed(spans.size(), message(t), System.currentTimeMillis());
        storeFailures.warn("could not write " + spans.size() + " spans to " + store.describe()
            + "; they are lost", t);
        return;
      }
    }
  }

  private static String message(Throwable t) {
    return String.valueOf(t.getMessage() != null ? t.getMessage() : t);
  }

  /** Completes flush markers queued after the writer finished (nothing else can be left). */
  private void completeLeftovers() {
    for (Object item = queue.poll(); item != null; item = queue.poll()) {
      if (item instanceof FlushMarker marker) {
        marker.done().complete(null);
      }
    }
  }

  private Object take() {
    while (true) {
      try {
        return queue.take();
      } catch (InterruptedException e) {
        // Only close() ends this thread; a stray interrupt must not lose accepted spans.
      }
    }
  }

  private Object poll(long nanos) {
    try {
      return queue.poll(nanos, TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      return null;
    }
  }

  private record FlushMarker(CompletableFuture<Void> done) {}

  /** The run of failed store writes up to the latest one (none when the latest succeeded). */
  private record WriteOutcome(long failingWrites, long failingSpans, String lastError, long lastFailureUnixMillis) {
    static final WriteOutcome NONE = new WriteOutcome(0, 0, null, 0);

    WriteOutcome failed(int spans, String error, long atMillis) {
      return new WriteOutcome(failingWrites + 1, failingSpans + spans, error, atMillis);
    }

    /** The store is unreachable and the batch waits for it: one more failing write, no span lost. */
    WriteOutcome waiting(String error, long atMillis) {
      return new WriteOutcome(failingWrites + 1, failingSpans, error, atMillis);
    }

    /** Succeeded: no run of failures any more, the last error is kept for the record. */
    WriteOutcome recovered() {
      return new WriteOutcome(0, 0, lastError, lastFailureUnixMillis);
    }
  }
}
