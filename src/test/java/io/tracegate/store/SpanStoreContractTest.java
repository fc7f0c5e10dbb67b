package io.tracegate.store;

import static io.tracegate.store.SpanFixtures.assertSameSpan;
import static io.tracegate.store.SpanFixtures.assertSameSpans;
import static io.tracegate.store.SpanFixtures.span;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tracegate.trace.Span;
import io.tracegate.trace.Usage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@link SpanStore} contract, run against every implementation (one subclass each), so code tested
 * with the memory store behaves the same on SQLite.
 */
public abstract class SpanStoreContractTest {

  @TempDir protected Path dir;
  protected SpanStore store;

  /** A new, empty store kept under {@code dir}. */
  protected abstract SpanStore newStore(Path dir);

  @BeforeEach
  void openStore() {
    store = newStore(dir);
  }

  @AfterEach
  void closeStore() {
    store.close();
  }

  @Test
  void roundTripsAFullyPopulatedSpan() {
    Span full = SpanFixtures.full("00f067aa0ba902b7");
    store.append(List.of(full));

    assertSameSpan(store.find(full.spanId()).orElseThrow(), full);
    assertSameSpans(store.query(SpanQuery.forRollout("rollout-1")).spans(), List.of(full));
  }

  @Test
  void aPageEndsAtTheSpanThatReachesItsByteBudgetAndTheCursorContinues() {
    List<Span> spans = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      // bodies of ~100 KB (span 3: ~300 KB), so the budget, not the count, ends pages
      String text = String.valueOf((char) ('a' + i)).repeat(i == 3 ? 300_000 : 100_000);
      Span s = span("b" + i, "budget", "a", (long) i + 1, Span.KIND_LLM, 1000L + i, 2000L + i, "ok", 1L, 1L, null);
      spans.add(new Span(s.spanId(), s.traceId(), null, s.rolloutId(), s.attemptId(), s.sequenceId(), s.kind(),
          s.name(), s.startTimeUnixNano(), s.endTimeUnixNano(), null, s.status(), null, "openai", "m", "mock", "mock",
          "m", s.usage(), null, SpanFixtures.json("{\"content\":\"" + text + "\"}"), null, null, null, null, null,
          Map.of()));
    }
    store.append(spans);
    List<List<String>> pages = new ArrayList<>();
    String cursor = null;
    do {
      SpanPage page = store.query(new SpanQuery("budget", null, null, null, 1000, cursor, SpanQuery.Order.ASC,
          250_000));
      pages.add(page.spans().stream().map(Span::spanId).toList());
      cursor = page.nextCursor();
    } while (cursor != null);
    // 100 KB + 100 KB < 250 KB, the third reaches it; span 3 (300 KB) alone is over it and comes alone
    assertThat(pages).containsExactly(List.of("b0", "b1", "b2"), List.of("b3"), List.of("b4", "b5", "b6"));
    assertThat(store.query(new SpanQuery("budget", null, null, null, 2, null, SpanQuery.Order.DESC, 250_000))
        .spans()).extracting(Span::spanId).containsExactly("b6", "b5");
    assertThat(store.query(SpanQuery.forRollout("budget")).spans()).as("no budget by default").hasSize(7);
  }

  @Test
  void roundTripsAMinimalSpanKeepingNullsNull() {
    Span minimal = SpanFixtures.minimal("a1");
    store.append(List.of(minimal));

    Span read = store.find("a1").orElseThrow();
    assertSameSpan(read, minimal);
    assertThat(read.usage()).isNull();
    assertThat(read.promptTokenIds()).isNull();
    assertThat(read.attributes()).isEmpty();
  }

  @Test
  void keepsEmptyArraysEmptyAndEmptyUsageDistinctFromNoUsage() {
    Span empty = new Span("e1", null, null, null, null, null, null, null, 1, 2, null, null, null, null, null,
        null, null, null, Usage.EMPTY, 0.0, SpanFixtures.json("null"), SpanFixtures.json("{}"), null,
        new int[0], new int[0], new double[0], Map.of());
    store.append(List.of(empty, SpanFixtures.minimal("e2")));

    Span read = store.find("e1").orElseThrow();
    assertSameSpan(read, empty);
    assertThat(read.usage()).isEqualTo(Usage.EMPTY);
    assertThat(read.request()).isNotNull();
    assertThat(read.request().isNull()).isTrue();
    assertThat(read.responseLogprobs()).isEmpty();
    assertThat(store.find("e2").orElseThrow().usage()).isNull();
  }

  @Test
  void findsNothingForAnUnknownId() {
    assertThat(store.find("nope")).isEmpty();
  }

  @Test
  void appendReplacesASpanWithTheSameId() {
    store.append(List.of(span("s1", "r", "a", 1L, "llm", 100, 110, "ok", 1L, 1L, null)));
    store.append(List.of(span("s1", "r", "a", 1L, "llm", 50, 60, "error", 2L, 2L, null)));

    List<Span> all = store.query(SpanQuery.forRollout("r")).spans();
    assertThat(all).hasSize(1);
    assertThat(all.get(0).startTimeUnixNano()).isEqualTo(50);
    assertThat(store.find("s1").orElseThrow().status()).isEqualTo("error");
  }

  @Test
  void appendOfAnEmptyBatchIsANoOp() {
    store.append(List.of());
    assertThat(store.query(new SpanQuery(null, null, null, null, 10, null)).spans()).isEmpty();
  }

  @Test
  void filtersAndOrdersByStartTimeThenSpanId() {
    List<Span> spans = sampleSpans();
    store.append(spans);

    assertPagedQuery(new SpanQuery(null, null, null, null, 1000, null), spans, s -> true);
    assertPagedQuery(new SpanQuery("r1", null, null, null, 1000, null), spans, s -> "r1".equals(s.rolloutId()));
    assertPagedQuery(new SpanQuery("r1", "a2", null, null, 1000, null), spans,
        s -> "r1".equals(s.rolloutId()) && "a2".equals(s.attemptId()));
    assertPagedQuery(new SpanQuery(null, null, "reward", null, 1000, null), spans, s -> "reward".equals(s.kind()));
    assertPagedQuery(new SpanQuery(null, null, null, 1_040L, 1000, null), spans,
        s -> s.startTimeUnixNano() >= 1_040L);
    assertThat(store.query(new SpanQuery("nobody", null, null, null, 10, null)).spans()).isEmpty();
  }

  @Test
  void paginatesWithAnOpaqueCursorAcrossManyPages() {
    List<Span> spans = sampleSpans();
    store.append(spans);

    assertPagedQuery(new SpanQuery(null, null, null, null, 4, null), spans, s -> true);
    assertPagedQuery(new SpanQuery("r1", null, "llm", 1_010L, 3, null), spans,
        s -> "r1".equals(s.rolloutId()) && "llm".equals(s.kind()) && s.startTimeUnixNano() >= 1_010L);
  }

  @Test
  void listsNewestFirstWithDescAndPagesThatWay() {
    List<Span> spans = sampleSpans();
    store.append(spans);

    assertPagedQuery(new SpanQuery(null, null, null, null, 1000, null, SpanQuery.Order.DESC), spans, s -> true);
    assertPagedQuery(new SpanQuery(null, null, null, null, 4, null, SpanQuery.Order.DESC), spans, s -> true);
    assertPagedQuery(new SpanQuery("r1", null, "llm", 1_010L, 3, null, SpanQuery.Order.DESC), spans,
        s -> "r1".equals(s.rolloutId()) && "llm".equals(s.kind()) && s.startTimeUnixNano() >= 1_010L);
    assertPagedQuery(new SpanQuery("r1", "a2", null, null, 1, null, SpanQuery.Order.DESC), spans,
        s -> "r1".equals(s.rolloutId()) && "a2".equals(s.attemptId()));
    assertThat(store.query(new SpanQuery(null, null, null, null, 2, null, SpanQuery.Order.DESC)).spans())
        .extracting(Span::spanId).containsExactly("r3-a", "r2-b");
  }

  @Test
  void refusesACursorOfTheOtherOrder() {
    store.append(sampleSpans());
    String ascCursor = store.query(new SpanQuery(null, null, null, null, 2, null)).nextCursor();
    String descCursor = store.query(new SpanQuery(null, null, null, null, 2, null, SpanQuery.Order.DESC)).nextCursor();

    assertThatThrownBy(() -> store.query(new SpanQuery(null, null, null, null, 2, ascCursor, SpanQuery.Order.DESC)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("order=asc");
    assertThatThrownBy(() -> store.query(new SpanQuery(null, null, null, null, 2, descCursor)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("order=desc");
  }

  @Test
  void lastFullPageHasNoCursor() {
    store.append(List.of(span("x1", "r", null, 1L, "llm", 1, 2, "ok", null, null, null),
        span("x2", "r", null, 2L, "llm", 3, 4, "ok", null, null, null)));

    SpanPage first = store.query(new SpanQuery("r", null, null, null, 1, null));
    assertThat(first.nextCursor()).isNotNull().matches("[A-Za-z0-9_-]+");
    SpanPage second = store.query(new SpanQuery("r", null, null, null, 1, first.nextCursor()));
    assertThat(second.spans()).extracting(Span::spanId).containsExactly("x2");
    assertThat(second.nextCursor()).isNull();
    assertThat(store.query(new SpanQuery("r", null, null, null, 2, null)).nextCursor()).isNull();

    SpanPage newest = store.query(new SpanQuery("r", null, null, null, 1, null, SpanQuery.Order.DESC));
    assertThat(newest.spans()).extracting(Span::spanId).containsExactly("x2");
    SpanPage oldest = store.query(new SpanQuery("r", null, null, null, 1, newest.nextCursor(), SpanQuery.Order.DESC));
    assertThat(oldest.spans()).extracting(Span::spanId).containsExactly("x1");
    assertThat(oldest.nextCursor()).isNull();
  }

  @Test
  void rejectsAMalformedCursorClearly() {
    String wrongVersion = Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[] {9, 0, 0, 0, 0, 0, 0,
        0, 0, 'a'});
    for (String bad : List.of("not a cursor!", "AAAA", wrongVersion)) {
      assertThatThrownBy(() -> store.query(new SpanQuery(null, null, null, null, 10, bad)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("malformed cursor");
    }
  }

  @Test
  void summarisesRollouts() {
    store.append(sampleSpans());

    RolloutSummary r1 = store.rollout("r1").orElseThrow();
    assertThat(r1.rolloutId()).isEqualTo("r1");
    assertThat(r1.attempts()).containsExactly("a2", "a1");
    assertThat(r1.spans()).isEqualTo(8);
    assertThat(r1.errors()).isEqualTo(2);
    assertThat(r1.inputTokens()).isEqualTo(10 + 20 + 30 + 40 + 50);
    assertThat(r1.outputTokens()).isEqualTo(1 + 2 + 3 + 4 + 5);
    assertThat(r1.costUsd()).isEqualTo(0.25 + 0.5 + 0.125);
    assertThat(r1.firstStartTimeUnixNano()).isEqualTo(1_000);
    assertThat(r1.lastEndTimeUnixNano()).isEqualTo(1_095);
    assertThat(r1.maxSequenceId()).isEqualTo(8);

    RolloutSummary r2 = store.rollout("r2").orElseThrow();
    assertThat(r2.attempts()).isEmpty();
    assertThat(r2.costUsd()).isNull();
    assertThat(r2.inputTokens()).isZero();
    assertThat(r2.maxSequenceId()).isEqualTo(3);

    assertThat(store.rollout("missing")).isEmpty();
  }

  @Test
  void listsRolloutsMostRecentlyActiveFirstExcludingSpansWithoutRollout() {
    store.append(sampleSpans());

    List<RolloutSummary> all = store.rollouts(new RolloutQuery(null, 0));
    assertThat(all).extracting(RolloutSummary::rolloutId).containsExactly("r3", "r2", "r1");
    assertThat(all.get(0)).isEqualTo(store.rollout("r3").orElseThrow());

    assertThat(store.rollouts(new RolloutQuery(null, 2))).extracting(RolloutSummary::rolloutId)
        .containsExactly("r3", "r2");
    // r1 last active at 1_095 (an end), r2 at 1_120, r3 at 2_000.
    assertThat(store.rollouts(new RolloutQuery(1_096L, 0))).extracting(RolloutSummary::rolloutId)
        .containsExactly("r3", "r2");
    assertThat(store.rollouts(new RolloutQuery(1_095L, 0))).hasSize(3);
    assertThat(store.rollouts(new RolloutQuery(5_000L, 0))).isEmpty();
  }

  @Test
  void pagesRolloutIdsInIdOrderAfterAKeyFilteredByLastActivity() {
    store.append(sampleSpans());

    assertThat(store.rolloutIds(null, null, 0)).isEmpty();
    assertThat(store.rolloutIds(null, null, 10)).containsExactly("r1", "r2", "r3");
    assertThat(store.rolloutIds(null, null, 2)).containsExactly("r1", "r2");
    assertThat(store.rolloutIds(null, "r2", 2)).containsExactly("r3");
    assertThat(store.rolloutIds(null, "r3", 2)).isEmpty();
    assertThat(store.rolloutIds(null, "r0", 1)).containsExactly("r1");
    // r1 last active at 1_095 (an end), r2 at 1_120, r3 at 2_000: the same rule as rollouts().
    assertThat(store.rolloutIds(1_096L, null, 10)).containsExactly("r2", "r3");
    assertThat(store.rolloutIds(1_095L, null, 10)).containsExactly("r1", "r2", "r3");
    assertThat(store.rolloutIds(1_096L, "r2", 10)).containsExactly("r3");
    assertThat(store.rolloutIds(5_000L, null, 10)).isEmpty();
  }

  @Test
  void countsWhatMatchesTheFilters() {
    List<Span> all = sampleSpans();
    store.append(all);

    assertThat(store.count(new SpanQuery(null, null, null, null, 1, null))).isEqualTo(all.size());
    assertThat(store.count(SpanQuery.forRollout("r1")))
        .isEqualTo(all.stream().filter(s -> "r1".equals(s.rolloutId())).count());
    assertThat(store.count(new SpanQuery("r1", null, "reward", null, 1, null)))
        .isEqualTo(all.stream().filter(s -> "r1".equals(s.rolloutId()) && "reward".equals(s.kind())).count());
    assertThat(store.count(SpanQuery.forRollout("unknown"))).isZero();
  }

  @Test
  void reportsTheHighestSequenceIdOrZero() {
    store.append(sampleSpans());

    assertThat(store.maxSequenceId("r1")).isEqualTo(8);
    assertThat(store.maxSequenceId("r3")).isZero();
    assertThat(store.maxSequenceId("unknown")).isZero();
  }

  @Test
  void registersARolloutBeforeAnyTrafficWithMetadata() {
    ObjectNode metadata = (ObjectNode) SpanFixtures.json("{\"task\":\"swe-1\",\"n\":3,\"tags\":[\"a\"]}");
    assertThat(store.createRollout("reg", metadata, 5_000L)).isTrue();
    metadata.put("task", "changed after the call");
    assertThat(store.createRollout("reg", null, 6_000L)).as("already registered").isFalse();

    RolloutSummary reg = store.rollout("reg").orElseThrow();
    assertThat(reg.metadata()).isEqualTo(SpanFixtures.json("{\"task\":\"swe-1\",\"n\":3,\"tags\":[\"a\"]}"));
    assertThat(reg.createdUnixNano()).isEqualTo(5_000L);
    assertThat(reg.spans()).isZero();
    assertThat(reg.attempts()).isEmpty();
    assertThat(reg.costUsd()).isNull();
    assertThat(reg.firstStartTimeUnixNano()).isZero();
    assertThat(reg.lastEndTimeUnixNano()).isZero();
    assertThat(reg.maxSequenceId()).isZero();
    assertThat(store.maxSequenceId("reg")).isZero();
    assertThat(store.rollouts(new RolloutQuery(null, 0))).containsExactly(reg);
    assertThat(store.rolloutIds(null, null, 10)).containsExactly("reg");
  }

  @Test
  void aRolloutWithSpansAlreadyExistsAndKeepsItsFirstStartAsCreationTime() {
    store.append(sampleSpans());
    assertThat(store.createRollout("r2", SpanFixtures.json("{}"), 1L)).isFalse();
    RolloutSummary r2 = store.rollout("r2").orElseThrow();
    assertThat(r2.metadata()).isNull();
    assertThat(r2.createdUnixNano()).isEqualTo(1_005L);

    assertThat(store.createRollout("nullmeta", SpanFixtures.json("null"), 7L)).isTrue();
    assertThat(store.rollout("nullmeta").orElseThrow().metadata()).isNull();
  }

  @Test
  void registeredRolloutsAreOrderedByCreationAmongActiveOnesAndGainSpansLater() {
    store.append(sampleSpans());
    // r1 last active at 1_095, r2 at 1_120, r3 at 2_000.
    store.createRollout("reg", SpanFixtures.json("{\"k\":1}"), 1_500L);

    assertThat(store.rollouts(new RolloutQuery(null, 0))).extracting(RolloutSummary::rolloutId)
        .containsExactly("r3", "reg", "r2", "r1");
    assertThat(store.rollouts(new RolloutQuery(1_200L, 0))).extracting(RolloutSummary::rolloutId)
        .containsExactly("r3", "reg");
    assertThat(store.rollouts(new RolloutQuery(1_501L, 0))).extracting(RolloutSummary::rolloutId)
        .containsExactly("r3");
    assertThat(store.rolloutIds(1_200L, null, 10)).containsExactly("r3", "reg");
    assertThat(store.rolloutIds(null, "r3", 10)).containsExactly("reg");

    store.append(List.of(span("reg-1", "reg", "a", 1L, "llm", 3_000, 3_100, "ok", 5L, 6L, 0.5)));
    RolloutSummary reg = store.rollout("reg").orElseThrow();
    assertThat(reg.spans()).isEqualTo(1);
    assertThat(reg.metadata()).isEqualTo(SpanFixtures.json("{\"k\":1}"));
    assertThat(reg.createdUnixNano()).isEqualTo(1_500L);
    assertThat(reg.firstStartTimeUnixNano()).isEqualTo(3_000L);
    assertThat(store.rollouts(new RolloutQuery(null, 0))).extracting(RolloutSummary::rolloutId)
        .containsExactly("reg", "r3", "r2", "r1");
  }

  @Test
  void mergesRegisteredAttemptsWithAttemptsSeenInSpansByFirstAppearance() {
    store.append(sampleSpans());
    // r1: a2 first seen at 1_000, a1 at 1_010.
    store.addAttempt("r1", "a3", 5_000L);
    store.addAttempt("r1", "a0", 900L);
    store.addAttempt("r1", "a1", 10L);
    store.addAttempt("r1", "a3", 1L);
    store.addAttempt("r1", "b0", 900L);

    List<String> expected = List.of("a1", "a0", "b0", "a2", "a3");
    assertThat(store.attempts("r1")).isEqualTo(expected);
    assertThat(store.rollout("r1").orElseThrow().attempts()).isEqualTo(expected);
    assertThat(store.attempts("r2")).isEmpty();
    assertThat(store.attempts("unknown")).isEmpty();
    assertThat(store.rollout("r1").orElseThrow().metadata()).isNull();
  }

  @Test
  void addingAnAttemptToAnUnknownRolloutRegistersIt() {
    store.addAttempt("fresh", "a1", 42L);
    store.addAttempt("fresh", "a1", 43L);

    RolloutSummary fresh = store.rollout("fresh").orElseThrow();
    assertThat(fresh.attempts()).containsExactly("a1");
    assertThat(fresh.createdUnixNano()).isEqualTo(42L);
    assertThat(fresh.spans()).isZero();
    assertThat(store.createRollout("fresh", null, 50L)).isFalse();
  }

  @Test
  void returnsFullTokenArraysOfALongConversationAppendedInBatches() {
    List<Span> turns = SpanFixtures.conversation("conv", 60, 300, 40, 7);
    List<Span> other = SpanFixtures.conversation("other", 5, 300, 40, 7);
    for (int from = 0; from < turns.size(); from += 7) {
      store.append(turns.subList(from, Math.min(turns.size(), from + 7)));
    }
    store.append(other);

    for (Span t : turns) {
      assertSameSpan(store.find(t.spanId()).orElseThrow(), t);
    }
    assertPagedQuery(new SpanQuery("conv", null, null, null, 9, null), turns, s -> true);
    assertPagedQuery(new SpanQuery("other", null, null, null, 2, null), other, s -> true);
  }

  @Test
  void replacingASpanThatLaterPromptsExtendKeepsThosePromptsIntact() {
    List<Span> turns = SpanFixtures.conversation("conv", 6, 100, 20, 3);
    store.append(turns);
    Span changed = SpanFixtures.tokens(turns.get(1).spanId(), "conv", "a", 2, new int[] {9, 9, 9},
        new int[] {8}, new double[] {-1.0});
    store.append(List.of(changed));
    // Replace again with a prompt extending turn 3, which extended the old turn 2.
    int[] longer = java.util.Arrays.copyOf(turns.get(2).promptTokenIds(), turns.get(2).promptTokenIds().length + 5);
    Span again = SpanFixtures.tokens(turns.get(1).spanId(), "conv", "a", 2, longer, new int[] {1, 2}, null);
    store.append(List.of(again));

    List<Span> expected = new ArrayList<>(turns);
    expected.set(1, again);
    for (Span t : expected) {
      assertSameSpan(store.find(t.spanId()).orElseThrow(), t);
    }
    assertPagedQuery(new SpanQuery("conv", null, null, null, 4, null), expected, s -> true);
  }

  @Test
  void describesItself() {
    assertThat(store.describe()).isNotBlank();
  }

  /**
   * r1: 8 spans over attempts a2 (first, at 1_000) and a1, two errors, some without usage or cost;
   * r2: 3 spans without attempts, usage or cost; r3: one span without sequence id; plus 2 spans without
   * rollout. Several share a start time so the span_id tie-break matters.
   */
  protected static List<Span> sampleSpans() {
    List<Span> spans = new ArrayList<>();
    spans.add(span("r1-c", "r1", "a2", 1L, "llm", 1_000, 1_005, "ok", 10L, 1L, 0.25));
    spans.add(span("r1-b", "r1", "a2", 2L, "llm", 1_010, 1_015, "error", 20L, 2L, null));
    spans.add(span("r1-a", "r1", "a1", 3L, "llm", 1_010, 1_020, "ok", 30L, 3L, 0.5));
    spans.add(span("r1-d", "r1", "a1", 4L, "reward", 1_030, 1_030, "ok", null, null, null));
    spans.add(span("r1-e", "r1", "a1", 5L, "llm", 1_040, 1_095, "error", 40L, 4L, 0.125));
    spans.add(span("r1-f", "r1", "a2", 6L, "llm", 1_040, 1_050, "cancelled", 50L, 5L, null));
    spans.add(span("r1-g", "r1", "a1", 8L, "annotation", 1_060, 1_060, "ok", null, null, null));
    spans.add(span("r1-h", "r1", null, null, "llm", 1_070, 1_080, "ok", null, null, null));
    spans.add(span("r2-a", "r2", null, 1L, "llm", 1_005, 1_100, "ok", null, null, null));
    spans.add(span("r2-b", "r2", null, 2L, "reward", 1_120, 1_120, "ok", null, null, null));
    spans.add(span("r2-c", "r2", null, 3L, "llm", 1_010, 1_011, "ok", null, null, null));
    spans.add(span("r3-a", "r3", "x", null, "llm", 2_000, 1_990, "ok", 7L, null, 1.0));
    spans.add(span("n-a", null, null, null, "llm", 1_010, 9_000, "ok", 99L, 99L, 9.0));
    spans.add(span("n-b", null, "a1", 1L, "llm", 900, 9_100, "error", 99L, 99L, 9.0));
    return spans;
  }

  /** Pages through {@code query} and checks the concatenation equals the expected filtered order (asc or desc). */
  private void assertPagedQuery(SpanQuery query, List<Span> all, Predicate<Span> filter) {
    Comparator<Span> ascending = Comparator.comparingLong(Span::startTimeUnixNano).thenComparing(Span::spanId);
    List<Span> expected = all.stream().filter(filter)
        .sorted(query.order() == SpanQuery.Order.DESC ? ascending.reversed() : ascending)
        .toList();
    List<Span> seen = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      SpanPage page = store.query(new SpanQuery(query.rolloutId(), query.attemptId(), query.kind(),
          query.sinceUnixNano(), query.limit(), cursor, query.order()));
      assertThat(page.spans().size()).isLessThanOrEqualTo(query.limit());
      seen.addAll(page.spans());
      cursor = page.nextCursor();
      assertThat(++pages).as("pages").isLessThanOrEqualTo(expected.size() + 1);
    } while (cursor != null);
    assertSameSpans(seen, expected);
    if (expected.size() > query.limit()) {
      assertThat(pages).isGreaterThan(1);
    }
  }
}
