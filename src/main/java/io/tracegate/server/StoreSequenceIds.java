package io.tracegate.server;

import io.tracegate.store.SequenceCounter;
import io.vertx.core.Context;
import io.vertx.core.Future;

/**
 * Sequence ids from the store's shared counter (PostgreSQL: every gateway on the database draws from it, so
 * ids are unique across gateways and survive restarts). One store round trip per id, on a worker thread; nothing
 * is kept in this process, so there is nothing to release.
 */
public final class StoreSequenceIds implements SequenceIds {

  private final SequenceCounter counter;

  public StoreSequenceIds(SequenceCounter counter) {
    this.counter = counter;
  }

  @Override
  public Future<Long> next(String rolloutId, Context caller) {
    return caller.executeBlocking(() -> counter.next(rolloutId), false);
  }

  @Override
  public void release(String rolloutId) {
    // the counter lives in the store: nothing held here
  }
}
