package io.tracegate.server;

import io.vertx.core.Context;
import io.vertx.core.Future;

/**
 * Where a request's sequence id comes from (allocated at request start, per rollout, strictly increasing):
 * the gateway's memory for a store only this process writes ({@link SequenceAllocator}), or the store's own
 * counter when several gateways share it ({@link StoreSequenceIds}).
 */
public interface SequenceIds {

  /**
   * Next id of the rollout; completes on {@code caller}'s context, never blocking it. Call {@link #release} once
   * the span carrying the id is submitted to the writer, or once it is certain that none will be. When the ids
   * cannot be read, the future fails (nothing to release).
   */
  Future<Long> next(String rolloutId, Context caller);

  /** The span carrying an id of this rollout was submitted (or will never be). */
  void release(String rolloutId);
}
