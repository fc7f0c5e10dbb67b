package io.tracegate.dataset;

import static io.tracegate.dataset.Spans.call;
import static io.tracegate.dataset.Spans.ids;
import static org.assertj.core.api.Assertions.assertThat;

import io.tracegate.store.memory.MemorySpanStore;
import io.tracegate.trace.Span;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetExporterTest {

  @TempDir Path dir;
  private final MemorySpanStore store = new MemorySpanStore();

  private static Span llm(String id, String rollout, String attempt, long seq, String backendModel) {
    Span s = call(id, rollout, attempt, seq, ids(1, (int) seq), ids(100 + (int) seq), null, "resp-" + id);
    return new Span(s.spanId(), s.traceId(), s.parentId(), s.rolloutId(), s.attemptId(), s.sequenceId(), s.kind(),
        s.name(), s.startTimeUnixNano(), s.endTimeUnixNano(), null, s.status(), null, s.frontendProtocol(),
        s.frontendModel(), s.provider(), s.backend(), backendModel, null, null, s.request(), s.response(),
        s.upstreamRequest(), s.promptTokenIds(), s.responseTokenIds(), null, Map.of());
  }

  private static Span reward(String rollout, String attempt, long seq, double value) {
    return Spans.withId(RewardSpans.reward(rollout, attempt, seq, null, value, null, 1_000L * seq),
        rollout + "-w" + seq);
  }

  /**
   * r1: attempt a1 (call 1, reward 0.2 @2), then a2 (calls 3, 4, reward 1.0 @5 posted without attempt id);
   * r2: no attempts, another backend model, reward 0.5; r3: a call without token ids.
   */
  @BeforeEach
  void seed() {
    Span noTokens = call("r3c1", "r3", "a1", 1, null, ids(1), null, "x");
    store.append(List.of(
        llm("r1c1", "r1", "a1", 1, "Qwen/Qwen3-8B"), reward("r1", "a1", 2, 0.2),
        llm("r1c3", "r1", "a2", 3, "Qwen/Qwen3-8B"), llm("r1c4", "r1", "a2", 4, "Qwen/Qwen3-8B"),
        reward("r1", null, 5, 1.0),
        llm("r2c1", "r2", null, 1, "other-model"), reward("r2", null, 2, 0.5),
        noTokens));
  }

  private ExportSummary export(ExportFilter filter, ListWriter writer, List<String> progress) throws IOException {
    return new DatasetExporter(store, AdapterOptions.DEFAULT).export(filter, writer,
        (done, total) -> progress.add(done + "/" + total));
  }

  @Test
  void exportsEachRolloutsLatestAttemptByDefaultWithProgress() throws IOException {
    ListWriter writer = new ListWriter();
    List<String> progress = new ArrayList<>();

    ExportSummary summary = export(new ExportFilter(null, null, null, null, null), writer, progress);

    assertThat(writer.rows).extracting(Triplet::spanId).containsExactly("r1c3", "r1c4", "r2c1");
    assertThat(writer.rows).extracting(Triplet::reward).containsExactly(null, 1.0, 0.5);
    assertThat(writer.rows).extracting(Triplet::turn).containsExactly(0L, 1L, 0L);
    assertThat(summary).isEqualTo(new ExportSummary(3, Map.of("missing_token_ids", 1L), 3));
    assertThat(progress).containsExactly("0/3", "1/3", "2/3", "3/3");
  }

  @Test
  void exportsAllAttemptsOrOneByIdOrOneRollout() throws IOException {
    ListWriter all = new ListWriter();
    export(new ExportFilter(null, ExportFilter.ALL, null, null, null), all, new ArrayList<>());
    assertThat(all.rows).extracting(Triplet::spanId).containsExactly("r1c1", "r1c3", "r1c4", "r2c1");
    assertThat(all.rows).extracting(Triplet::reward).containsExactly(0.2, null, 1.0, 0.5);
    assertThat(all.rows).extracting(Triplet::attemptId).containsExactly("a1", "a2", "a2", null);

    ListWriter one = new ListWriter();
    List<String> progress = new ArrayList<>();
    ExportSummary summary = export(new ExportFilter("r1", "a1", null, null, null), one, progress);
    assertThat(one.rows).extracting(Triplet::spanId).containsExactly("r1c1");
    assertThat(summary.rollouts()).isEqualTo(1);
    assertThat(progress).containsExactly("0/1", "1/1");
  }

  @Test
  void filtersByMinRewardModelAndSinceCountingWhatTheyLeaveOut() throws IOException {
    ListWriter rewarded = new ListWriter();
    ExportSummary summary = export(new ExportFilter(null, "all", null, null, 0.5), rewarded, new ArrayList<>());
    assertThat(rewarded.rows).extracting(Triplet::spanId).containsExactly("r1c4", "r2c1");
    assertThat(summary.skipped()).containsEntry("filtered_min_reward", 2L);

    ListWriter byBackend = new ListWriter();
    summary = export(new ExportFilter(null, "all", null, "Qwen/Qwen3-8B", null), byBackend, new ArrayList<>());
    assertThat(byBackend.rows).extracting(Triplet::spanId).containsExactly("r1c1", "r1c3", "r1c4");
    assertThat(summary.skipped()).containsEntry("filtered_model", 1L);

    ListWriter byFrontend = new ListWriter();
    export(new ExportFilter(null, "all", null, "agent", null), byFrontend, new ArrayList<>());
    assertThat(byFrontend.rows).hasSize(4);

    // Only calls started at or after 3_500 (r1c4 at 4_000); its reward is still placed with the whole attempt.
    ListWriter since = new ListWriter();
    summary = export(new ExportFilter(null, "all", 3_500L, null, null), since, new ArrayList<>());
    assertThat(since.rows).extracting(Triplet::spanId).containsExactly("r1c4");
    assertThat(since.rows.get(0).reward()).isEqualTo(1.0);
    assertThat(summary.rollouts()).isEqualTo(1);
    assertThat(summary.skipped()).containsEntry("filtered_since", 2L);
  }

  @Test
  void pagesThroughManyRolloutsAndLongRollouts() throws IOException {
    List<Span> spans = new ArrayList<>();
    int rollouts = DatasetExporter.ROLLOUT_PAGE * 2 + 3;
    for (int i = 0; i < rollouts; i++) {
      spans.add(llm(String.format("m%05d", i), String.format("many-%05d", i), "a", 1, "m"));
    }
    int calls = 1_500;
    for (int i = 1; i <= calls; i++) {
      spans.add(llm(String.format("long%05d", i), "long", "a", i, "m"));
    }
    spans.add(reward("long", "a", calls + 1, 2.0));
    store.append(spans);

    ListWriter writer = new ListWriter();
    List<String> progress = new ArrayList<>();
    ExportSummary summary = export(new ExportFilter(null, null, null, "m", null), writer, progress);

    assertThat(summary.triplets()).isEqualTo(rollouts + calls);
    assertThat(summary.rollouts()).isEqualTo(rollouts + 4);
    assertThat(progress.get(progress.size() - 1)).isEqualTo((rollouts + 4) + "/" + (rollouts + 4));
    List<Triplet> longRollout = writer.rows.stream().filter(t -> "long".equals(t.rolloutId())).toList();
    assertThat(longRollout).hasSize(calls);
    assertThat(longRollout.get(calls - 1).reward()).isEqualTo(2.0);
    assertThat(longRollout.get(calls - 1).turn()).isEqualTo(calls - 1);
  }

  @Test
  void writesTheSameRowsAsJsonlAndParquet() throws IOException {
    Path jsonl = dir.resolve("t.jsonl");
    Path parquet = dir.resolve("t.parquet");
    DatasetExporter exporter = new DatasetExporter(store, AdapterOptions.parse("discounted:0.5", true));
    ExportFilter filter = new ExportFilter(null, ExportFilter.ALL, null, null, null);
    try (DatasetWriter j = JsonlDatasetWriter.create(jsonl); DatasetWriter p = ParquetDatasetWriter.create(parquet)) {
      exporter.export(filter, j, ExportProgress.NONE);
      exporter.export(filter, p, null);
    }

    List<Triplet> rows = DatasetFiles.readJsonl(jsonl);
    assertThat(rows).isNotEmpty().isEqualTo(DatasetFiles.readParquet(parquet));
    assertThat(rows).allSatisfy(t -> assertThat(t.lossMask()).isNotNull());
  }
}
