package io.tracegate.store;

import java.util.List;
import java.util.Map;

/**
 * Where virtual keys live, next to the spans their spend is computed from. Every method BLOCKS: call it from a
 * worker thread. Implementations are thread-safe.
 */
public interface KeyStore {
  /** The span attribute holding the id of the virtual key a call was made with. */
  String SPAN_KEY_ID = "tracegate.key.id";
  /** The span attribute holding that key's name. */
  String SPAN_KEY_NAME = "tracegate.key.name";

  /** Stores a new key. */
  void create(StoredKey key);

  /** Every key, revoked ones included, oldest first. */
  List<StoredKey> keys();

  /** Marks a key revoked; false when there is no such key or it was revoked already. */
  boolean revoke(String keyId, long nowUnixNano);

  /** The summed {@code cost_usd} of the stored spans of each key (by {@link #SPAN_KEY_ID}); keys without spans are absent. */
  Map<String, Double> spendByKey();
}
