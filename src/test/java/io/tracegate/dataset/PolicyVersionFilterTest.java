package io.tracegate.dataset;

import static io.tracegate.testing.TokenGateway.messages;
import static io.tracegate.testing.TokenGateway.msg;
import static org.assertj.core.api.Assertions.assertThat;

import io.tracegate.store.sqlite.SqliteSpanStore;
import io.tracegate.testing.TokenGateway;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Point 3 of issue 23: the policy version each call was served with ({@code x-model-version} here) is a column of
 * every layout, and {@code min_version} / {@code max_staleness} leave out stale samples (by the integer a version
 * ends with; a version without one is left out by either filter).
 */
class PolicyVersionFilterTest {
  @TempDir Path dir;

  @Test
  void staleSamplesAreLeftOutByVersionNumber() throws Exception {
    List<String> versions = List.of("step-1", "step-2", "step-3", "main", "step-3");
    String staleness;
    String minVersion;
    String slime;
    HttpResponse<String> bad;
    try (TokenGateway tg = new TokenGateway(dir)) {
      for (int i = 0; i < versions.size(); i++) {
        tg.chat("rv", "1", messages(msg("user", "question " + i)), "x-model-version", versions.get(i));
      }
      tg.gw.awaitSpans("rv", versions.size());
      staleness = tg.gw.get("/api/triplets?max_staleness=1").body();
      minVersion = tg.gw.get("/api/triplets?min_version=3").body();
      slime = tg.gw.get("/api/triplets?schema=slime&min_version=v2").body();
      bad = tg.gw.get("/api/triplets?min_version=main");
    }
    // newest is 3: staleness 1 keeps versions 2 and 3, leaves out 1 and the unnumbered "main"
    assertThat(RowFiles.jsonlText(staleness)).extracting(r -> r.get("model_version").asText())
        .containsExactly("step-2", "step-3", "step-3");
    assertThat(RowFiles.jsonlText(minVersion)).extracting(r -> r.get("model_version").asText())
        .containsExactly("step-3", "step-3");
    assertThat(RowFiles.jsonlText(slime)).extracting(r -> r.get("weight_versions"))
        .containsExactly(Spans.json("[\"step-2\"]"), Spans.json("[\"step-3\"]"), Spans.json("[\"step-3\"]"));
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.body()).contains("min version 'main' has no version number");

    try (SqliteSpanStore store = SqliteSpanStore.openReadOnly(dir.resolve("spans.db"))) {
      ListWriter rows = new ListWriter();
      ExportSummary summary = new DatasetExporter(store, AdapterOptions.parse("matched", true)).export(
          ExportFilter.LATEST_ATTEMPTS.withVersions(null, 0L), rows, null);
      // merge: five separate questions are five branches; staleness 0 keeps the two served by the newest version
      assertThat(summary.triplets()).isEqualTo(2);
      assertThat(summary.skipped()).containsEntry("filtered_staleness", 3L);
      assertThat(rows.rows).extracting(Triplet::modelVersion).containsExactly("step-3", "step-3");
      assertThat(rows.rows).extracting(Triplet::branch).containsExactly(2L, 4L);
    }
  }
}
