package io.tracegate.auth;

import io.tracegate.config.Glob;
import io.tracegate.store.StoredKey;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.DoubleAdder;

/**
 * A live virtual key with its limits' state: request and token buckets, spend so far. Thread-safe.
 */
public final class ActiveKey {
  private final StoredKey key;
  private final TokenBucket requests;
  private final TokenBucket tokens;
  private final DoubleAdder spentUsd = new DoubleAdder();

  ActiveKey(StoredKey key, double spentUsd, long nowNanos) {
    this.key = key;
    this.requests = key.rpm() == null ? null : new TokenBucket(key.rpm(), nowNanos);
    this.tokens = key.tpm() == null ? null : new TokenBucket(key.tpm(), nowNanos);
    this.spentUsd.add(spentUsd);
  }

  public String id() {
    return key.id();
  }

  public String name() {
    return key.name();
  }

  StoredKey stored() {
    return key;
  }

  /** USD spent so far (stored spans at start, then every recorded span). */
  public double spentUsd() {
    return spentUsd.sum();
  }

  /**
   * Lets a call to {@code model} through, or says why not: a model outside the key's list (403), a spent
   * budget (403: it will not come back by waiting, so clients must not retry), a rate limit (429 with the
   * seconds until the bucket allows the call). Takes one request from the rpm bucket when admitted.
   *
   * @throws AccessDenied when the call is refused
   */
  public void admit(String model, long nowNanos) {
    if (key.models() != null && key.models().stream().noneMatch(g -> Glob.matches(g, model))) {
      throw new AccessDenied(AccessDenied.Reason.MODEL_NOT_ALLOWED, "key '" + key.name() + "' may not use model '"
          + model + "' (allowed: " + String.join(", ", key.models()) + ")");
    }
    if (key.budgetUsd() != null && spentUsd() >= key.budgetUsd()) {
      throw new AccessDenied(AccessDenied.Reason.BUDGET_EXCEEDED, "key '" + key.name() + "' has spent its budget"
          + " of $" + key.budgetUsd() + " (spent $" + String.format(java.util.Locale.ROOT, "%.6f", spentUsd()) + ")");
    }
    if (tokens != null) {
      long wait = tokens.tryTake(0, nowNanos);
      if (wait > 0) {
        throw rateLimited("tokens per minute (tpm " + key.tpm() + ")", wait);
      }
    }
    if (requests != null) {
      long wait = requests.tryTake(1, nowNanos);
      if (wait > 0) {
        throw rateLimited("requests per minute (rpm " + key.rpm() + ")", wait);
      }
    }
  }

  private AccessDenied rateLimited(String limit, long waitNanos) {
    long seconds = Math.max(1, TimeUnit.NANOSECONDS.toSeconds(waitNanos + 999_999_999L));
    return new AccessDenied(AccessDenied.Reason.RATE_LIMITED, "key '" + key.name() + "' is over its " + limit
        + ": retry in " + seconds + " s", seconds);
  }

  /** A recorded call of this key: its cost (null: unknown) and tokens count against the budget and the tpm. */
  void used(Double costUsd, long tokenCount, long nowNanos) {
    if (costUsd != null && costUsd > 0) {
      spentUsd.add(costUsd);
    }
    if (tokens != null && tokenCount > 0) {
      tokens.take(tokenCount, nowNanos);
    }
  }
}
