package io.tracegate.telemetry;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.tracegate.trace.Span;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Exports recorded spans over OTLP without ever being in the way: the span writer hands over each batch of
 * built spans ({@link #accept}, never blocks), a bounded queue holds them, and one thread of its own maps them to
 * OTLP spans and sends them in batches through the SDK's {@link SpanExporter}. A full queue, a failed or timed-out
 * export, and spans still queued when the shutdown bound is over are counted as dropped and logged (at most one
 * line per {@value #LOG_INTERVAL_SECONDS} s per cause); nothing reaches the writer or a request.
 *
 * <p>Own batching rather than the SDK's {@code BatchSpanProcessor}: that processor takes live SDK spans
 * ({@code ReadableSpan}) at their end, while ours are finished records built later on the writer thread, and it
 * reports its drops only through OpenTelemetry metrics, while {@code /metrics} reads {@link #dropped()} directly.
 */
public final class OtlpSpanExport implements Consumer<List<Span>>, AutoCloseable {
  public static final String THREAD_NAME = "tracegate-otlp-export";
  static final int DEFAULT_QUEUE_CAPACITY = 4096;
  static final int DEFAULT_BATCH_SIZE = 512;
  static final Duration DEFAULT_DELAY = Duration.ofMillis(500);
  static final Duration DEFAULT_EXPORT_TIMEOUT = Duration.ofSeconds(10);
  private static final System.Logger LOG = System.getLogger(OtlpSpanExport.class.getName());
  private static final long LOG_INTERVAL_SECONDS = 10;
  private static final long AWAIT_SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

  private final SpanExporter exporter;
  private final SpanMapping mapping;
  private final String target;
  private final ArrayBlockingQueue<Span> queue;
  private final int batchSize;
  private final long delayNanos;
  private final long exportTimeoutNanos;
  private final AtomicLong exported = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final Throttle queueFull = new Throttle();
  private final Throttle exportFailed = new Throttle();
  private final Thread thread;
  private volatile boolean stopping;
  private volatile long stopDeadlineNanos;
  /** True while the thread waits for spans: only then may close() interrupt it. */
  private volatile boolean waiting;

  OtlpSpanExport(SpanExporter exporter, SpanMapping mapping, String target, int queueCapacity, int batchSize,
      Duration delay, Duration exportTimeout) {
    this.exporter = Objects.requireNonNull(exporter, "exporter");
    this.mapping = Objects.requireNonNull(mapping, "mapping");
    this.target = target;
    this.queue = new ArrayBlockingQueue<>(queueCapacity);
    this.batchSize = batchSize;
    this.delayNanos = delay.toNanos();
    this.exportTimeoutNanos = exportTimeout.toNanos();
    this.thread = new Thread(this::run, THREAD_NAME);
    thread.setDaemon(true);
    thread.start();
  }

  /** Queues spans for export without blocking; what does not fit is dropped and counted. */
  @Override
  public void accept(List<Span> spans) {
    int lost = 0;
    for (Span s : spans) {
      if (stopping || !queue.offer(mapping.retained(s))) {
        lost++;
      }
    }
    if (lost > 0) {
      dropped.addAndGet(lost);
      int n = lost;
      queueFull.warn(() -> (stopping ? "OTLP export closed" : "OTLP export queue full ("
          + (queue.size() + queue.remainingCapacity()) + " spans)") + ": dropped " + n
          + " span(s); total dropped " + dropped.get(), null);
    }
  }

  /** Spans the collector accepted. */
  public long exported() {
    return exported.get();
  }

  /** Spans not exported: queue full, export failed or timed out, or still queued when shutdown ran out. */
  public long dropped() {
    return dropped.get();
  }

  /** Spans waiting in the queue. */
  public int queued() {
    return queue.size();
  }

  /**
   * Stops taking spans, exports what is queued for up to {@code bound}, counts the rest as dropped and shuts
   * the exporter down. Call it after the span writer has drained. Idempotent; blocks at most about
   * {@code bound} plus one second.
   */
  public void close(Duration bound) {
    if (!stopping) {
      stopDeadlineNanos = System.nanoTime() + bound.toNanos();
      stopping = true;
    }
    if (waiting) {
      thread.interrupt(); // ends a wait for more spans; an export in progress is bounded by the deadline
    }
    try {
      thread.join(Math.max(1, bound.toMillis()) + 1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    exporter.shutdown().join(1, TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    close(Duration.ofSeconds(5));
  }

  private void run() {
    List<Span> batch = new ArrayList<>(batchSize);
    while (true) {
      if (stopping && (queue.isEmpty() || System.nanoTime() >= stopDeadlineNanos)) {
        break;
      }
      collect(batch);
      if (!batch.isEmpty()) {
        export(batch);
        batch.clear();
      }
    }
    int left = queue.size();
    queue.clear();
    if (left > 0) {
      dropped.addAndGet(left);
      LOG.log(System.Logger.Level.WARNING, "OTLP export: shutdown bound over, " + left + " span(s) not exported");
    }
  }

  /** Takes up to a batch: waits for the first span, then up to the delay after it for the batch to fill. */
  private void collect(List<Span> batch) {
    try {
      long deadline = 0;
      while (batch.size() < batchSize) {
        if (stopping) {
          queue.drainTo(batch, batchSize - batch.size());
          return;
        }
        long wait = batch.isEmpty() ? delayNanos : deadline - System.nanoTime();
        if (wait <= 0) {
          return;
        }
        waiting = true;
        Span s = stopping ? null : queue.poll(wait, TimeUnit.NANOSECONDS);
        waiting = false;
        if (s != null) {
          if (batch.isEmpty()) {
            deadline = System.nanoTime() + delayNanos;
          }
          batch.add(s);
          queue.drainTo(batch, batchSize - batch.size());
        }
      }
    } catch (InterruptedException e) {
      // close() wakes us to drain what is left
    } finally {
      waiting = false;
    }
  }

  private void export(List<Span> batch) {
    Thread.interrupted(); // a wake-up from close() that came late must not cut the export short
    List<SpanData> data = new ArrayList<>(batch.size());
    int unmappable = 0;
    for (Span s : batch) {
      try {
        SpanData d = mapping.map(s);
        if (d == null) {
          unmappable++;
        } else {
          data.add(d);
        }
      } catch (RuntimeException e) {
        unmappable++;
        exportFailed.warn(() -> "OTLP export: could not map span " + s.spanId(), e);
      }
    }
    dropped.addAndGet(unmappable);
    if (!data.isEmpty()) {
      boolean ok = false;
      Throwable failure = null;
      try {
        CompletableResultCode result = exporter.export(data);
        await(result, System.nanoTime() + exportTimeoutNanos);
        ok = result.isDone() && result.isSuccess();
        failure = result.getFailureThrowable();
      } catch (RuntimeException e) {
        failure = e;
      }
      if (ok) {
        exported.addAndGet(data.size());
      } else {
        dropped.addAndGet(data.size());
        int n = data.size();
        Throwable cause = failure;
        exportFailed.warn(() -> "OTLP export to " + target + " failed: " + n + " span(s) dropped; total dropped "
            + dropped.get(), cause);
      }
    }
  }

  /** Waits for an export until {@code deadline}, or, once closing, until the shutdown bound if that is sooner. */
  private void await(CompletableResultCode result, long deadline) {
    while (!result.isDone()) {
      long limit = stopping ? Math.min(deadline, stopDeadlineNanos) : deadline;
      long left = limit - System.nanoTime();
      if (left <= 0) {
        return;
      }
      Thread.interrupted(); // join() returns at once while the flag is set; only the deadlines end this wait
      result.join(Math.min(left, AWAIT_SLICE_NANOS), TimeUnit.NANOSECONDS);
    }
  }

  /** At most one log line per interval; the lines in between are counted in the next. */
  private static final class Throttle {
    private long nextNanos = System.nanoTime();
    private long suppressed;

    synchronized void warn(java.util.function.Supplier<String> message, Throwable error) {
      long now = System.nanoTime();
      if (now - nextNanos < 0) {
        suppressed++;
        return;
      }
      nextNanos = now + TimeUnit.SECONDS.toNanos(LOG_INTERVAL_SECONDS);
      String more = suppressed > 0 ? " (" + suppressed + " similar message(s) suppressed)" : "";
      suppressed = 0;
      LOG.log(System.Logger.Level.WARNING, message.get() + more
          + (error == null ? "" : ": " + (error.getMessage() != null ? error.getMessage() : error)));
    }
  }
}
