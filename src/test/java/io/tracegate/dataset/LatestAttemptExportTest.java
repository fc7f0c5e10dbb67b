package io.tracegate.dataset;

import static io.tracegate.dataset.Spans.call;
import static io.tracegate.dataset.Spans.ids;
import static org.assertj.core.api.Assertions.assertThat;

import io.tracegate.store.SpanStore;
import io.tracegate.store.memory.MemorySpanStore;
import io.tracegate.store.sqlite.SqliteSpanStore;
import io.tracegate.trace.Span;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * "Latest attempt" in an export is the attempt CREATED last for the rollout (registered, or first seen on a
 * span: the last of {@link SpanStore#attempts}), not the one whose spans came last; an attempt without calls
 * yet gives no triplets instead of falling back to the attempt before it. Run on the memory and SQLite stores.
 */
class LatestAttemptExportTest {

  @TempDir Path dir;
  private SpanStore store;

  @AfterEach
  void close() {
    if (store != null) {
      store.close();
    }
  }

  private SpanStore open(String kind) {
    store = kind.equals("sqlite") ? SqliteSpanStore.open(dir.resolve("latest.db")) : new MemorySpanStore();
    return store;
  }

  /** A call starting at {@code 1_000 * seq} with token ids and a response id of its own. */
  private static Span llm(String rollout, String attempt, long seq) {
    String id = rollout + "-" + attempt + "-c" + seq;
    return call(id, rollout, attempt, seq, ids(1, (int) seq), ids(100 + (int) seq), null, "resp-" + id);
  }

  private static Span reward(String rollout, String attempt, long seq, double value) {
    return Spans.withId(RewardSpans.reward(rollout, attempt, seq, null, value, null, 1_000L * seq),
        rollout + "-w" + seq);
  }

  /**
   * {@code fresh}: registered with attempt 1 (at 500), calls 1 and 2 and a reward in attempt 1, then attempt 2
   * registered at 3_500 with no call yet. {@code early}: attempts a (100) and b (200) registered, b's agent calls
   * first (1_000), a's later (2_000). {@code plain}: registered with attempt 1, but its calls carry no attempt id.
   */
  private void seed() {
    store.createRollout("fresh", null, 500L);
    store.addAttempt("fresh", "1", 500L);
    store.append(List.of(llm("fresh", "1", 1), llm("fresh", "1", 2), reward("fresh", "1", 3, 1.0)));
    store.addAttempt("fresh", "2", 3_500L);

    store.createRollout("early", null, 100L);
    store.addAttempt("early", "a", 100L);
    store.addAttempt("early", "b", 200L);
    store.append(List.of(llm("early", "b", 1), llm("early", "a", 2)));

    store.createRollout("plain", null, 100L);
    store.addAttempt("plain", "1", 100L);
    store.append(List.of(llm("plain", null, 1), llm("plain", null, 2), reward("plain", null, 3, 0.5)));
  }

  private List<Triplet> export(ExportFilter filter) throws IOException {
    ListWriter writer = new ListWriter();
    new DatasetExporter(store, AdapterOptions.DEFAULT).export(filter, writer, null);
    return writer.rows;
  }

  @ParameterizedTest
  @ValueSource(strings = {"memory", "sqlite"})
  void anAttemptWithoutCallsYetGivesNoTripletsThenOnlyItsOwn(String kind) throws IOException {
    open(kind);
    seed();
    ExportFilter fresh = new ExportFilter("fresh", ExportFilter.LATEST, null, null, null);

    // attempt 2 exists but has no call: nothing, not attempt 1's calls
    assertThat(export(fresh)).isEmpty();
    assertThat(export(new ExportFilter("fresh", ExportFilter.ALL, null, null, null)))
        .extracting(Triplet::spanId).containsExactly("fresh-1-c1", "fresh-1-c2");

    store.append(List.of(llm("fresh", "2", 4), reward("fresh", "2", 5, 0.75)));

    List<Triplet> latest = export(fresh);
    assertThat(latest).extracting(Triplet::spanId).containsExactly("fresh-2-c4");
    assertThat(latest).extracting(Triplet::turn).containsExactly(0L);
    assertThat(latest).extracting(Triplet::reward).containsExactly(0.75);
  }

  @ParameterizedTest
  @ValueSource(strings = {"memory", "sqlite"})
  void latestIsTheAttemptCreatedLastNotTheOneWhoseCallsCameLast(String kind) throws IOException {
    open(kind);
    seed();

    List<Triplet> latest = export(ExportFilter.LATEST_ATTEMPTS);

    // early: b was created after a, though its call came first; fresh: its latest attempt has no call;
    // plain: calls without attempt ids are the rollout's one "attempt", whatever was registered
    assertThat(latest).extracting(Triplet::spanId)
        .containsExactly("early-b-c1", "plain-null-c1", "plain-null-c2");
    assertThat(latest).extracting(Triplet::attemptId).containsExactly("b", null, null);
    assertThat(latest).extracting(Triplet::reward).containsExactly(null, null, 0.5);

    // every attempt, in the order they were created
    assertThat(export(new ExportFilter("early", ExportFilter.ALL, null, null, null)))
        .extracting(Triplet::spanId).containsExactly("early-a-c2", "early-b-c1");
  }
}
