package io.tracegate.server;

import io.tracegate.auth.KeyRing;
import io.tracegate.store.KeyStore;
import io.tracegate.trace.Span;
import io.tracegate.trace.Usage;
import java.util.List;
import java.util.function.Consumer;

/**
 * Counts each recorded span of a virtual key against the key's budget (its {@code cost_usd}, priced as
 * {@code tracegate report} prices it) and tokens per minute (input + output tokens), on the writer thread once
 * the span is built, then hands the batch on (OTLP export).
 */
final class KeyUsage implements Consumer<List<Span>> {
  private final KeyRing keys;
  private final Consumer<List<Span>> next;

  KeyUsage(KeyRing keys, Consumer<List<Span>> next) {
    this.keys = keys;
    this.next = next;
  }

  @Override
  public void accept(List<Span> spans) {
    for (Span span : spans) {
      if (span.attributes().get(KeyStore.SPAN_KEY_ID) instanceof String keyId) {
        Usage u = span.usage();
        long tokens = u == null ? 0 : orZero(u.inputTokens()) + orZero(u.outputTokens());
        keys.recorded(keyId, span.costUsd(), tokens);
      }
    }
    if (next != null) {
      next.accept(spans);
    }
  }

  private static long orZero(Long v) {
    return v == null ? 0 : v;
  }
}
