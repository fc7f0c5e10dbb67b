package io.tracegate.store.memory;

import io.tracegate.store.KeyStore;
import io.tracegate.store.StoredKey;
import io.tracegate.trace.Span;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** Virtual keys of a memory store: gone with the process, like its spans. */
final class MemoryKeyStore implements KeyStore {
  private final List<StoredKey> keys = new ArrayList<>();
  private final Supplier<List<Span>> spans;

  MemoryKeyStore(Supplier<List<Span>> spans) {
    this.spans = spans;
  }

  @Override
  public synchronized void create(StoredKey key) {
    keys.add(key);
  }

  @Override
  public synchronized List<StoredKey> keys() {
    return keys.stream()
        .sorted(java.util.Comparator.comparingLong(StoredKey::createdUnixNano).thenComparing(StoredKey::id))
        .toList();
  }

  @Override
  public synchronized boolean revoke(String keyId, long nowUnixNano) {
    for (int i = 0; i < keys.size(); i++) {
      StoredKey k = keys.get(i);
      if (k.id().equals(keyId) && !k.revoked()) {
        keys.set(i, k.revokedAt(nowUnixNano));
        return true;
      }
    }
    return false;
  }

  @Override
  public Map<String, Double> spendByKey() {
    Map<String, Double> out = new HashMap<>();
    for (Span s : spans.get()) {
      if (s.attributes().get(SPAN_KEY_ID) instanceof String id) {
        out.merge(id, s.costUsd() == null ? 0d : s.costUsd(), Double::sum);
      }
    }
    return out;
  }
}
