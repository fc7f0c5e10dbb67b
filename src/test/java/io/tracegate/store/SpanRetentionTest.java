package io.tracegate.store;

import static io.tracegate.store.SpanFixtures.assertSameSpan;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tracegate.config.ConfigException;
import io.tracegate.config.ConfigLoader;
import io.tracegate.config.GatewayConfig;
import io.tracegate.config.StoreConfig;
import io.tracegate.testing.TestGateway;
import io.tracegate.testing.TestPostgres;
import io.tracegate.trace.Span;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 21, point 6: {@code store.retention} drops old spans in the background: PostgreSQL by dropping whole day
 * partitions, SQLite by batched deletes. A kept span whose prompt extends a dropped one keeps its token ids.
 */
class SpanRetentionTest {

  private static final long DAY = TimeUnit.DAYS.toNanos(1);

  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgres"})
  void dropsSpansOlderThanTheCutoffAndKeepsTheTokenIdsOfThoseThatExtendThem(String kind) {
    long now = TimeUnit.MILLISECONDS.toNanos(System.currentTimeMillis());
    List<Span> conversation = SpanFixtures.conversation("conv", 7, 200, 40, 3);
    List<Span> old = new ArrayList<>();
    List<Span> kept = new ArrayList<>();
    for (Span s : conversation.subList(0, 6)) {
      // turns 1-3 five days ago, 4-6 now: turn 4's prompt extends turn 3's across the cutoff
      long start = s.sequenceId() <= 3 ? now - 5 * DAY + s.sequenceId() : now - 1000 + s.sequenceId();
      (s.sequenceId() <= 3 ? old : kept).add(at(s, start));
    }
    try (SpanStore store = open(kind)) {
      List<Span> all = new ArrayList<>(old);
      all.addAll(kept);
      store.append(all);

      assertThat(store.dropSpansBefore(now - 2 * DAY)).isEqualTo(3);

      assertThat(store.query(SpanQuery.forRollout("conv")).spans()).extracting(Span::spanId)
          .containsExactlyElementsOf(kept.stream().map(Span::spanId).toList());
      for (Span s : kept) {
        assertSameSpan(store.find(s.spanId()).orElseThrow(), s);
      }
      Span next = at(conversation.get(6), now);
      store.append(List.of(next)); // extends turn 6: the writer forgot nothing it still needs
      assertSameSpan(store.find(next.spanId()).orElseThrow(), next);
      assertThat(store.dropSpansBefore(now - 2 * DAY)).isZero();
      assertThat(store.rollout("conv")).isPresent();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgres"})
  void aGatewayWithRetentionDropsOldSpansInTheBackground(String kind) throws Exception {
    long now = TimeUnit.MILLISECONDS.toNanos(System.currentTimeMillis());
    StoreConfig config;
    try (SpanStore store = open(kind)) {
      config = configOf(kind);
      store.append(List.of(at(SpanFixtures.minimal("old-1"), now - 40 * DAY),
          at(SpanFixtures.minimal("old-2"), now - 31 * DAY), at(SpanFixtures.minimal("new"), now - DAY)));
    }
    GatewayConfig gateway = TestGateway.config(config.withRetention(Duration.ofDays(30)), 1 << 20,
        Map.of("m", TestGateway.mock(java.util.Set.of())));
    try (TestGateway gw = TestGateway.start(gateway)) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (gw.gateway().services().store().count(new SpanQuery(null, null, null, null, 1, null)) > 1) {
        assertThat(System.nanoTime()).as("old spans dropped").isLessThan(deadline);
        TimeUnit.MILLISECONDS.sleep(50);
      }
      assertThat(gw.gateway().services().store().find("new")).isPresent();
    }
  }

  @Test
  void retentionIsADurationInDaysAndNotForTheMemoryStore() throws Exception {
    Path yaml = dir.resolve("r.yaml");
    Files.writeString(yaml, "store: { kind: sqlite, path: t.db, retention: 30d }\nmodels:\n"
        + "  - name: m\n    backends:\n      - provider: mock\n");
    assertThat(ConfigLoader.load(yaml).store().retention()).isEqualTo(Duration.ofDays(30));
    Files.writeString(yaml, "store: { kind: memory, retention: 30d }\nmodels:\n"
        + "  - name: m\n    backends:\n      - provider: mock\n");
    assertThatThrownBy(() -> ConfigLoader.load(yaml)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("store.retention");
  }

  private Path sqliteFile;
  private StoreConfig postgres;

  private SpanStore open(String kind) {
    if (kind.equals("sqlite")) {
      sqliteFile = dir.resolve("retention.db");
      return SpanStores.open(StoreConfig.sqlite(sqliteFile.toString()), false);
    }
    postgres = TestPostgres.newDatabase();
    return SpanStores.open(postgres, false);
  }

  private StoreConfig configOf(String kind) {
    return kind.equals("sqlite") ? StoreConfig.sqlite(sqliteFile.toString()) : postgres;
  }

  /** {@code s} started at {@code start} (and ended 500 ns later). */
  private static Span at(Span s, long start) {
    return new Span(s.spanId(), s.traceId(), s.parentId(), s.rolloutId(), s.attemptId(), s.sequenceId(), s.kind(),
        s.name(), start, start + 500, s.firstTokenTimeUnixNano(), s.status(), s.statusMessage(),
        s.frontendProtocol(), s.frontendModel(), s.provider(), s.backend(), s.backendModel(), s.usage(), s.costUsd(),
        s.request(), s.response(), s.upstreamRequest(), s.promptTokenIds(), s.responseTokenIds(),
        s.responseLogprobs(), s.modelVersion(), s.attempts(), s.attributes());
  }
}
