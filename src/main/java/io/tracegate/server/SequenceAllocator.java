package io.tracegate.server;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Allocates per-rollout sequence ids: strictly increasing, never duplicated, shared by every verticle, and
 * continuing after a restart (the first use of a rollout reads its highest stored id, off the event loop).
 * The common case (rollout already known) is a single atomic increment.
 */
public final class SequenceAllocator {
  private static final Logger LOG = Logger.getLogger(SequenceAllocator.class.getName());
  private final ConcurrentHashMap<String, Future<AtomicLong>> counters = new ConcurrentHashMap<>();
  private final Function<String, Future<Long>> loadMaxStored;

  /** @param loadMaxStored reads the highest stored sequence id of a rollout (0 if none), off the event loop */
  public SequenceAllocator(Function<String, Future<Long>> loadMaxStored) {
    this.loadMaxStored = loadMaxStored;
  }

  /**
   * Next id of the rollout; completes on {@code caller}'s context. If the store cannot be read, the future
   * fails and the rollout is retried on its next request (the call itself goes on without a sequence id).
   */
  public Future<Long> next(String rolloutId, Context caller) {
    Future<AtomicLong> counter =
        counters.computeIfAbsent(rolloutId, r -> loadMaxStored.apply(r).map(AtomicLong::new));
    if (counter.succeeded()) {
      return Future.succeededFuture(counter.result().incrementAndGet());
    }
    Promise<Long> promise = Promise.promise();
    counter.onComplete(ar -> caller.runOnContext(v -> {
      if (ar.succeeded()) {
        promise.complete(ar.result().incrementAndGet());
      } else {
        counters.remove(rolloutId, counter);
        LOG.log(Level.WARNING, "cannot read sequence ids of rollout " + rolloutId, ar.cause());
        promise.fail(ar.cause());
      }
    }));
    return promise.future();
  }

  /** Rollouts currently tracked in memory. */
  public int trackedRollouts() {
    return counters.size();
  }
}
