package io.tracegate.store;

import com.fasterxml.jackson.databind.JsonNode;
import io.tracegate.store.memory.MemorySpanStore;
import io.tracegate.trace.Span;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** A memory store that can fail its next appends or hold them at a gate, and lets tests await spans. */
final class ControlledStore implements SpanStore {

  private final MemorySpanStore delegate = new MemorySpanStore();
  private final List<Integer> batchSizes = new ArrayList<>();
  final AtomicInteger failuresLeft = new AtomicInteger();
  /** Appends that came with a pacing hook (the writer's path). */
  final AtomicInteger pacingHooks = new AtomicInteger();
  final CountDownLatch entered = new CountDownLatch(1);
  private volatile CountDownLatch gate;
  private long stored;

  /** Makes appends wait until {@link #open()}; {@link #entered} counts down when the first one waits. */
  void closeGate() {
    gate = new CountDownLatch(1);
  }

  void open() {
    gate.countDown();
  }

  /** What the writer passes: runs the pacing hook after each span, as the SQLite store does. */
  @Override
  public void append(List<Span> spans, Runnable betweenSpans) {
    pacingHooks.incrementAndGet();
    for (int i = 0; i < spans.size(); i++) {
      betweenSpans.run();
    }
    append(spans);
  }

  @Override
  public void append(List<Span> spans) {
    CountDownLatch g = gate;
    if (g != null) {
      entered.countDown();
      try {
        if (!g.await(10, TimeUnit.SECONDS)) {
          throw new IllegalStateException("test gate never opened");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    if (failuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      throw new StoreException("simulated disk full");
    }
    delegate.append(spans);
    synchronized (this) {
      batchSizes.add(spans.size());
      stored += spans.size();
      notifyAll();
    }
  }

  synchronized List<Integer> batchSizes() {
    return List.copyOf(batchSizes);
  }

  synchronized long stored() {
    return stored;
  }

  /** Waits until at least {@code count} spans were stored; false on timeout. */
  synchronized boolean awaitStored(long count, long timeoutMillis) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    while (stored < count) {
      long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
      if (left <= 0) {
        return false;
      }
      wait(left);
    }
    return true;
  }

  @Override
  public boolean createRollout(String rolloutId, JsonNode metadata, long createdUnixNano) {
    return delegate.createRollout(rolloutId, metadata, createdUnixNano);
  }

  @Override
  public boolean mergeRolloutTags(String rolloutId, java.util.Map<String, String> tags, long nowUnixNano) {
    return delegate.mergeRolloutTags(rolloutId, tags, nowUnixNano);
  }

  @Override
  public void addAttempt(String rolloutId, String attemptId, long createdUnixNano) {
    delegate.addAttempt(rolloutId, attemptId, createdUnixNano);
  }

  @Override
  public List<String> attempts(String rolloutId) {
    return delegate.attempts(rolloutId);
  }

  @Override
  public Optional<Span> find(String spanId) {
    return delegate.find(spanId);
  }

  @Override
  public SpanPage query(SpanQuery query) {
    return delegate.query(query);
  }

  @Override
  public long count(SpanQuery query) {
    return delegate.count(query);
  }

  @Override
  public List<RolloutSummary> rollouts(RolloutQuery query) {
    return delegate.rollouts(query);
  }

  @Override
  public Optional<RolloutSummary> rollout(String rolloutId) {
    return delegate.rollout(rolloutId);
  }

  @Override
  public long maxSequenceId(String rolloutId) {
    return delegate.maxSequenceId(rolloutId);
  }

  @Override
  public String describe() {
    return "controlled test store";
  }

  @Override
  public void close() {
    delegate.close();
  }
}
