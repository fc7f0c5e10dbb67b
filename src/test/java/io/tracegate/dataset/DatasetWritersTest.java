package io.tracegate.dataset;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetWritersTest {

  @TempDir Path dir;

  private static Triplet full() {
    Map<String, Double> rewards = new LinkedHashMap<>();
    rewards.put("accuracy", 1.0);
    rewards.put("format", -0.25);
    return new Triplet("r1", "a1", 7L, 2, "Qwen/Qwen3-8B", new int[] {1, 2, 151_643}, new int[] {5, 6},
        new double[] {-0.5, -1.25e-9}, 0.75, rewards, "[{\"role\":\"user\",\"content\":\"h\u00e9 \\\"q\\\"\"}]",
        "line1\nline2 \ud83d\ude00", "00f067aa0ba902b7", null, "step-120");
  }

  private static Triplet sparse() {
    return new Triplet(null, null, null, 0, null, new int[] {9}, new int[0], null, null, Map.of(), null, null, null,
        null, null);
  }

  private static Triplet merged() {
    return new Triplet("r2", null, 3L, 0, "m", new int[] {1}, new int[] {2, 3, 4},
        new double[] {-1, 0.0, Double.NaN}, null, Map.of(), "[]", "", "s3", new int[] {1, 0, 1}, "v2");
  }

  @Test
  void jsonlIsOneObjectPerLineWithEveryKeyInAFixedOrder() throws IOException {
    Path file = dir.resolve("out.jsonl");
    try (JsonlDatasetWriter writer = JsonlDatasetWriter.create(file)) {
      writer.write(full());
      writer.write(sparse());
      writer.write(merged());
      assertThat(writer.count()).isEqualTo(3);
    }

    String text = Files.readString(file, StandardCharsets.UTF_8);
    assertThat(text).isEqualTo(String.join("\n",
        "{\"rollout_id\":\"r1\",\"attempt_id\":\"a1\",\"sequence_id\":7,\"turn\":2,\"model\":\"Qwen/Qwen3-8B\","
            + "\"prompt_token_ids\":[1,2,151643],\"response_token_ids\":[5,6],"
            + "\"response_logprobs\":[-0.5,-0.00000000125],\"reward\":0.75,\"rewards\":{\"accuracy\":1.0,\"format\":-0.25},"
            + "\"messages\":\"[{\\\"role\\\":\\\"user\\\",\\\"content\\\":\\\"h\u00e9 \\\\\\\"q\\\\\\\"\\\"}]\","
            + "\"response_text\":\"line1\\nline2 \ud83d\ude00\",\"span_id\":\"00f067aa0ba902b7\",\"loss_mask\":null,"
            + "\"model_version\":\"step-120\",\"group_id\":null,\"branch\":null,\"turns\":1,\"stop_reason\":null}",
        "{\"rollout_id\":null,\"attempt_id\":null,\"sequence_id\":null,\"turn\":0,\"model\":null,"
            + "\"prompt_token_ids\":[9],\"response_token_ids\":[],\"response_logprobs\":null,\"reward\":null,"
            + "\"rewards\":{},\"messages\":null,\"response_text\":null,\"span_id\":null,\"loss_mask\":null,"
            + "\"model_version\":null,\"group_id\":null,\"branch\":null,\"turns\":1,\"stop_reason\":null}",
        "{\"rollout_id\":\"r2\",\"attempt_id\":null,\"sequence_id\":3,\"turn\":0,\"model\":\"m\","
            + "\"prompt_token_ids\":[1],\"response_token_ids\":[2,3,4],\"response_logprobs\":[-1.0,0.0,null],"
            + "\"reward\":null,\"rewards\":{},\"messages\":\"[]\",\"response_text\":\"\",\"span_id\":\"s3\","
            + "\"loss_mask\":[1,0,1],\"model_version\":\"v2\",\"group_id\":null,\"branch\":null,\"turns\":1,"
            + "\"stop_reason\":null}",
        ""));
    assertThat(JsonlDatasetWriter.toJson(sparse())).isEqualTo(text.lines().skip(1).findFirst().orElseThrow());
    assertThat(DatasetFiles.readJsonl(file)).containsExactly(full(), sparse(), merged());
  }

  @Test
  void parquetReadsBackFieldByFieldEqualToTheJsonl() throws IOException {
    List<Triplet> triplets = new ArrayList<>(List.of(full(), sparse(), merged()));
    for (int i = 0; i < 500; i++) {
      int[] response = new int[i % 37];
      for (int k = 0; k < response.length; k++) {
        response[k] = i * 1000 + k;
      }
      triplets.add(new Triplet("bulk", "a" + (i % 3), (long) i, i, "m", new int[] {i, i + 1}, response,
          Spans.logprobs(response.length), i % 2 == 0 ? (double) i : null, i % 2 == 0 ? Map.of("reward", (double) i)
          : Map.of(), "[]", "t" + i, "s" + i, null, i % 3 == 0 ? null : "step-" + i));
    }
    Path jsonl = dir.resolve("out.jsonl");
    Path parquet = dir.resolve("out.parquet");
    try (DatasetWriter j = JsonlDatasetWriter.create(jsonl); DatasetWriter p = ParquetDatasetWriter.create(parquet)) {
      for (Triplet t : triplets) {
        j.write(t);
        p.write(t);
      }
      assertThat(p.count()).isEqualTo(triplets.size());
    }

    List<Triplet> fromParquet = DatasetFiles.readParquet(parquet);
    List<Triplet> fromJsonl = DatasetFiles.readJsonl(jsonl);
    assertThat(fromParquet).hasSameSizeAs(fromJsonl);
    for (int i = 0; i < fromJsonl.size(); i++) {
      assertThat(fromParquet.get(i)).as("row %d", i).isEqualTo(fromJsonl.get(i)).isEqualTo(triplets.get(i));
    }
    assertThat(Files.readAllBytes(parquet)).startsWith('P', 'A', 'R', '1').endsWith('P', 'A', 'R', '1');
  }

  @Test
  void parquetUsesStandardThreeLevelListsAndStringColumns() throws IOException {
    Path parquet = dir.resolve("schema.parquet");
    try (DatasetWriter p = ParquetDatasetWriter.create(parquet)) {
      p.write(full());
    }

    String schema = DatasetFiles.parquetSchema(parquet).toString();
    assertThat(schema)
        .contains("required group prompt_token_ids (LIST) {\n    repeated group list {\n      required int32 element;")
        .contains("optional group response_logprobs (LIST) {\n    repeated group list {\n      optional double element;")
        .contains("optional group loss_mask (LIST)")
        .contains("required binary rewards (STRING)")
        .contains("optional binary messages (STRING)")
        .contains("optional int64 sequence_id")
        .contains("required int64 turn")
        .contains("optional double reward")
        .contains("optional binary model_version (STRING)");
    assertThat(schema).isEqualTo(ParquetDatasetWriter.SCHEMA.toString());
  }
}
