package io.tracegate.server;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Allocates per-rollout sequence ids: strictly increasing, never duplicated, shared by every verticle, and
 * continuing after a restart (the first use of a rollout reads its highest stored id, off the event loop).
 *
 * <p>At most {@code maxTracked} rollouts are kept in memory: beyond that the least recently used ones are
 * evicted, and a rollout that comes back reads its highest stored id again. Two rules make that safe:
 * <ul>
 *   <li>a rollout with an id handed out whose span has not been submitted to the writer yet (a call still
 *       running, {@link #release} not called) is never evicted;</li>
 *   <li>each eviction asks the writer for a flush, and a rollout loaded afterwards waits for that flush before
 *       reading the store, so every span of an evicted rollout is stored (or counted as failed) by then.</li>
 * </ul>
 * A plain {@link LinkedHashMap} in access order under one lock: an allocation is a map lookup and an
 * increment, negligible next to a proxied call, and "do not evict pinned entries" is one check while walking
 * from the eldest entry, which a cache library's size-based eviction does not offer.
 */
public final class SequenceAllocator implements SequenceIds {
  /** Rollouts kept in memory by default: about 100 bytes each. */
  public static final int DEFAULT_MAX_TRACKED = 65_536;
  private static final Logger LOG = Logger.getLogger(SequenceAllocator.class.getName());

  private final Object lock = new Object();
  private final LinkedHashMap<String, Counter> counters = new LinkedHashMap<>(256, 0.75f, true);
  private final Function<String, Future<Long>> loadMaxStored;
  private final Supplier<CompletableFuture<Void>> flushWriter;
  private final int maxTracked;
  /** Completes once every span submitted before the latest eviction is written. */
  private CompletableFuture<Void> lastEvictionFlush = CompletableFuture.completedFuture(null);
  private long evicted;

  /** One rollout: the last id handed out and how many of its ids still have no submitted span. */
  private static final class Counter {
    long last;
    int pending;
    /** Completes when the highest stored id is read; {@code last} is valid once it succeeded. */
    Future<Void> loaded;
  }

  /**
   * @param loadMaxStored reads the highest stored sequence id of a rollout (0 if none), off the event loop
   * @param flushWriter asks the span writer for a flush: completes when every span submitted before is written
   * @param maxTracked rollouts kept in memory (at least 1)
   */
  public SequenceAllocator(Function<String, Future<Long>> loadMaxStored,
      Supplier<CompletableFuture<Void>> flushWriter, int maxTracked) {
    if (maxTracked < 1) {
      throw new IllegalArgumentException("maxTracked must be at least 1, got " + maxTracked);
    }
    this.loadMaxStored = loadMaxStored;
    this.flushWriter = flushWriter;
    this.maxTracked = maxTracked;
  }

  /**
   * Next id of the rollout; completes on {@code caller}'s context. Call {@link #release} once the span that
   * carries the id is submitted to the writer, or once it is certain that none will be. If the store cannot
   * be read, the future fails (nothing to release) and the rollout is read again on its next request.
   */
  @Override
  public Future<Long> next(String rolloutId, Context caller) {
    Counter counter;
    synchronized (lock) {
      counter = counters.get(rolloutId);
      if (counter == null) {
        counter = new Counter();
        counter.loaded = load(rolloutId, counter, lastEvictionFlush);
        counters.put(rolloutId, counter);
        counter.pending++; // before evicting: the new rollout is in use
        evictIfNeeded();
      } else {
        counter.pending++;
      }
      if (counter.loaded.succeeded()) {
        return Future.succeededFuture(++counter.last);
      }
    }
    Counter c = counter;
    Promise<Long> promise = Promise.promise();
    c.loaded.onComplete(ar -> caller.runOnContext(v -> {
      synchronized (lock) {
        if (ar.succeeded()) {
          promise.complete(++c.last);
          return;
        }
        c.pending--;
        counters.remove(rolloutId, c);
      }
      LOG.log(Level.WARNING, "cannot read sequence ids of rollout " + rolloutId, ar.cause());
      promise.fail(ar.cause());
    }));
    return promise.future();
  }

  /** The span carrying an id of this rollout was submitted (or will never be): it may be evicted again. */
  @Override
  public void release(String rolloutId) {
    synchronized (lock) {
      Counter c = counters.get(rolloutId);
      if (c != null && c.pending > 0) {
        c.pending--;
      }
    }
  }

  /** Reads the highest stored id once the spans of every rollout evicted so far are written. */
  private Future<Void> load(String rolloutId, Counter counter, CompletableFuture<Void> evictionFlush) {
    Future<Void> written = evictionFlush.isDone() ? Future.succeededFuture()
        : Future.fromCompletionStage(evictionFlush);
    return written.compose(v -> loadMaxStored.apply(rolloutId)).map(max -> {
      synchronized (lock) {
        counter.last = Math.max(counter.last, max);
      }
      return null;
    });
  }

  /** Under the lock: evicts idle rollouts, eldest first, down to 7/8 of the bound once it is exceeded. */
  private void evictIfNeeded() {
    if (counters.size() <= maxTracked) {
      return;
    }
    int target = Math.max(0, maxTracked - Math.max(1, maxTracked / 8));
    int removed = 0;
    Iterator<Map.Entry<String, Counter>> it = counters.entrySet().iterator();
    while (counters.size() > target && it.hasNext()) {
      Counter c = it.next().getValue();
      if (c.pending == 0 && c.loaded.succeeded()) {
        it.remove();
        removed++;
      }
    }
    if (removed > 0) {
      evicted += removed;
      lastEvictionFlush = flushWriter.get();
    }
  }

  /** Rollouts currently tracked in memory. */
  public int trackedRollouts() {
    synchronized (lock) {
      return counters.size();
    }
  }

  /** Rollouts evicted from memory so far. */
  public long evictedRollouts() {
    synchronized (lock) {
      return evicted;
    }
  }
}
