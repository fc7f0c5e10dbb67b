package io.tracegate.dataset;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tracegate.config.Capture;
import io.tracegate.config.StoreConfig;
import io.tracegate.store.sqlite.SqliteSpanStore;
import io.tracegate.testing.TestGateway;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The policy version reaches the training data: calls served after {@code POST /api/resume} (or with their own
 * {@code x-model-version}) through a real gateway into a real SQLite file, exported as JSONL and Parquet (read
 * back independently of the writers) and streamed by {@code GET /api/triplets}.
 */
class ModelVersionExportTest {
  @TempDir Path dir;

  @Test
  void eachTripletCarriesTheVersionItsCallWasServedWith() throws Exception {
    Path db = dir.resolve("spans.db");
    List<String> apiVersions = new ArrayList<>();
    String filtered;
    try (TestGateway gw = TestGateway.start(TestGateway.config(StoreConfig.sqlite(db.toString()), 1 << 20,
        Map.of("policy", TestGateway.mock(Set.of(Capture.TOKEN_IDS, Capture.LOGPROBS)))))) {
      assertThat(gw.post("/api/resume", "{\"model_version\":\"step-1\"}").statusCode()).isEqualTo(200);
      call(gw, "first");
      call(gw, "second", "x-model-version", "step-1b");
      assertThat(gw.post("/api/resume", "{\"model_version\":\"step-2\"}").statusCode()).isEqualTo(200);
      call(gw, "third");
      gw.awaitSpans("rv", 3);
      filtered = gw.get("/api/triplets?rollout_id=rv&model_version=step-1b").body();
      HttpResponse<String> triplets = gw.get("/api/triplets?rollout_id=rv");
      assertThat(triplets.statusCode()).isEqualTo(200);
      for (String line : triplets.body().split("\n")) {
        if (!line.isBlank()) {
          JsonNode row = Spans.JSON.readTree(line);
          apiVersions.add(row.get("model_version").isNull() ? null : row.get("model_version").asText());
        }
      }
    }
    assertThat(apiVersions).containsExactly("step-1", "step-1b", "step-2");
    assertThat(filtered.lines().filter(l -> !l.isBlank()).toList()).singleElement().asString()
        .contains("\"model_version\":\"step-1b\"");

    Path jsonl = dir.resolve("out.jsonl");
    Path parquet = dir.resolve("out.parquet");
    try (SqliteSpanStore store = SqliteSpanStore.openReadOnly(db);
        DatasetWriter j = JsonlDatasetWriter.create(jsonl);
        DatasetWriter p = ParquetDatasetWriter.create(parquet)) {
      DatasetExporter exporter = new DatasetExporter(store, AdapterOptions.DEFAULT);
      assertThat(exporter.export(ExportFilter.LATEST_ATTEMPTS, j, (done, total) -> { }).triplets()).isEqualTo(3);
      exporter.export(ExportFilter.LATEST_ATTEMPTS, p, (done, total) -> { });
    }
    assertThat(DatasetFiles.readJsonl(jsonl)).extracting(Triplet::modelVersion)
        .containsExactly("step-1", "step-1b", "step-2");
    assertThat(DatasetFiles.readParquet(parquet)).extracting(Triplet::modelVersion)
        .containsExactly("step-1", "step-1b", "step-2");
    assertThat(DatasetFiles.parquetSchema(parquet).getFieldIndex("model_version")).isEqualTo(14);

    Path onlyStep2 = dir.resolve("step2.jsonl");
    try (SqliteSpanStore store = SqliteSpanStore.openReadOnly(db);
        DatasetWriter j = JsonlDatasetWriter.create(onlyStep2)) {
      ExportSummary summary = new DatasetExporter(store, AdapterOptions.DEFAULT).export(
          new ExportFilter(null, ExportFilter.LATEST, null, null, null, "step-2"), j, (done, total) -> { });
      assertThat(summary.triplets()).isEqualTo(1);
      assertThat(summary.skipped()).containsEntry("filtered_model_version", 2L);
    }
    assertThat(DatasetFiles.readJsonl(onlyStep2)).extracting(Triplet::modelVersion).containsExactly("step-2");
  }

  private static void call(TestGateway gw, String text, String... headers) throws Exception {
    HttpResponse<String> r = gw.post("/rollout/rv/attempt/1/v1/chat/completions",
        "{\"model\":\"policy\",\"messages\":[{\"role\":\"user\",\"content\":\"" + text + "\"}]}", headers);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
  }
}
