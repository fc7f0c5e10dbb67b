package io.tracegate.auth;

import io.tracegate.store.StoredKey;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The live virtual keys in memory, so that checking a request's key never touches the store: a lookup by the
 * SHA-256 of the presented secret. Loaded at start (keys and their spend from the store), changed when keys are
 * created or revoked through this gateway (copy on write: readers never lock). Thread-safe.
 */
public final class KeyRing {
  private volatile Map<String, ActiveKey> byHash = Map.of();
  private volatile Map<String, ActiveKey> byId = Map.of();

  /** Replaces the ring with the live keys among {@code keys}, each with its spend so far. */
  public synchronized void load(List<StoredKey> keys, Map<String, Double> spendByKey) {
    Map<String, ActiveKey> hashes = new HashMap<>();
    Map<String, ActiveKey> ids = new HashMap<>();
    long now = System.nanoTime();
    for (StoredKey k : keys) {
      if (!k.revoked()) {
        ActiveKey active = new ActiveKey(k, spendByKey.getOrDefault(k.id(), 0d), now);
        hashes.put(k.secretSha256(), active);
        ids.put(k.id(), active);
      }
    }
    byHash = Map.copyOf(hashes);
    byId = Map.copyOf(ids);
  }

  /** Adds a key just created. */
  public synchronized void added(StoredKey key) {
    Map<String, ActiveKey> hashes = new HashMap<>(byHash);
    Map<String, ActiveKey> ids = new HashMap<>(byId);
    ActiveKey active = new ActiveKey(key, 0, System.nanoTime());
    hashes.put(key.secretSha256(), active);
    ids.put(key.id(), active);
    byHash = Map.copyOf(hashes);
    byId = Map.copyOf(ids);
  }

  /** Drops a key just revoked: its next request gets 401. */
  public synchronized void revoked(String keyId) {
    ActiveKey gone = byId.get(keyId);
    if (gone == null) {
      return;
    }
    Map<String, ActiveKey> hashes = new HashMap<>(byHash);
    Map<String, ActiveKey> ids = new HashMap<>(byId);
    hashes.remove(gone.stored().secretSha256());
    ids.remove(keyId);
    byHash = Map.copyOf(hashes);
    byId = Map.copyOf(ids);
  }

  /**
   * The live key whose secret was presented.
   *
   * @throws AccessDenied 401 for an unknown, revoked or expired secret
   */
  public ActiveKey authenticate(String secret, long nowUnixNano) {
    ActiveKey key = byHash.get(KeySecrets.sha256(secret));
    if (key == null) {
      throw new AccessDenied(AccessDenied.Reason.INVALID_KEY, "invalid API key: unknown or revoked tracegate key");
    }
    Long expires = key.stored().expiresUnixNano();
    if (expires != null && nowUnixNano >= expires) {
      throw new AccessDenied(AccessDenied.Reason.INVALID_KEY, "API key '" + key.name() + "' has expired");
    }
    return key;
  }

  /** The live key with this id, or null. */
  public ActiveKey byId(String keyId) {
    return byId.get(keyId);
  }

  /** A call of key {@code keyId} was recorded: its cost and tokens count against the key's limits. */
  public void recorded(String keyId, Double costUsd, long tokens) {
    ActiveKey key = byId.get(keyId);
    if (key != null) {
      key.used(costUsd, tokens, System.nanoTime());
    }
  }
}
