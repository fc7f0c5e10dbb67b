package io.tracegate.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.tracegate.trace.Span;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@link KeyStore} contract ({@link SpanStore#keys()}), run against every store that keeps keys (one subclass
 * each), so the access guard behaves the same on memory, SQLite and PostgreSQL.
 */
public abstract class KeyStoreContractTest {

  @TempDir protected Path dir;
  protected SpanStore store;
  protected KeyStore keys;

  /** A new, empty store kept under {@code dir}. */
  protected abstract SpanStore newStore(Path dir);

  @BeforeEach
  void openStore() {
    store = newStore(dir);
    keys = store.keys();
  }

  @AfterEach
  void closeStore() {
    store.close();
  }

  protected static StoredKey full(String id, long created) {
    return new StoredKey(id, "alice", "ab".repeat(32) + id, List.of("claude-*", "gpt-4o"), 60, 5_000_000_000L,
        20.5, 1_800_000_000_000_000_000L, SpanFixtures.json("{\"team\":\"rl\",\"n\":[1,2]}"), created, null);
  }

  protected static StoredKey bare(String id, long created) {
    return new StoredKey(id, "bob", "cd".repeat(32) + id, null, null, null, null, null, null, created, null);
  }

  @Test
  void aNewStoreHasNoKeysAndNoSpend() {
    assertThat(keys).isNotNull();
    assertThat(keys.keys()).isEmpty();
    assertThat(keys.spendByKey()).isEmpty();
  }

  @Test
  void keysReadBackWithEveryFieldOldestFirst() {
    StoredKey second = bare("key_b", 2_000);
    StoredKey first = full("key_a", 1_000);
    keys.create(second);
    keys.create(first);

    assertThat(keys.keys()).containsExactly(first, second);
  }

  @Test
  void revokeMarksALiveKeyOnceAndKnowsNoOtherKey() {
    keys.create(full("key_a", 1_000));
    keys.create(bare("key_b", 2_000));

    assertThat(keys.revoke("key_a", 7_000)).isTrue();
    assertThat(keys.revoke("key_a", 8_000)).as("already revoked").isFalse();
    assertThat(keys.revoke("key_nope", 8_000)).isFalse();

    assertThat(keys.keys()).containsExactly(full("key_a", 1_000).revokedAt(7_000), bare("key_b", 2_000));
  }

  @Test
  void spendSumsTheCostOfEachKeysSpansAndIgnoresSpansWithoutAKey() {
    store.append(List.of(
        keyedSpan("s1", 100, "key_a", 0.25),
        keyedSpan("s2", 200, "key_a", 0.5),
        keyedSpan("s3", 300, "key_b", 1.0),
        keyedSpan("s4", 400, "key_b", null),
        keyedSpan("s5", 500, "key_c", null),
        SpanFixtures.span("s6", "r", "a", 6L, Span.KIND_LLM, 600, 601, Span.STATUS_OK, 1L, 1L, 9.0)));

    assertThat(keys.spendByKey()).containsOnly(entry("key_a", 0.75), entry("key_b", 1.0), entry("key_c", 0.0));
  }

  /** A call made with virtual key {@code keyId} (its attributes name the key), costing {@code cost}. */
  protected static Span keyedSpan(String spanId, long start, String keyId, Double cost) {
    Span s = SpanFixtures.span(spanId, "r", "a", start, Span.KIND_LLM, start, start + 1, Span.STATUS_OK, 3L, 4L, cost);
    Map<String, Object> attributes = new HashMap<>();
    attributes.put("gen_ai.operation.name", "chat");
    attributes.put(KeyStore.SPAN_KEY_ID, keyId);
    attributes.put(KeyStore.SPAN_KEY_NAME, "n-" + keyId);
    return new Span(s.spanId(), s.traceId(), s.parentId(), s.rolloutId(), s.attemptId(), s.sequenceId(), s.kind(),
        s.name(), s.startTimeUnixNano(), s.endTimeUnixNano(), null, s.status(), null, s.frontendProtocol(),
        s.frontendModel(), s.provider(), s.backend(), s.backendModel(), s.usage(), s.costUsd(), null, null, null,
        null, null, null, attributes);
  }
}
