package io.tracegate.store;

/**
 * Per-rollout sequence ids kept by the store itself, shared by every process writing to it (several gateways
 * on one PostgreSQL database): 1, 2, 3, ... per rollout, each id handed out once, surviving restarts. BLOCKS
 * (one database round trip): call it from a worker thread.
 */
public interface SequenceCounter {

  /**
   * The rollout's next sequence id. The first allocation of a rollout the counter does not know yet continues
   * after the highest sequence id stored for it (spans copied in, or written before the counter existed).
   *
   * @throws StoreException when the store cannot be reached
   */
  long next(String rolloutId);
}
