package io.tracegate.dataset;

import static io.tracegate.testing.TokenGateway.messages;
import static io.tracegate.testing.TokenGateway.msg;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.tracegate.store.sqlite.SqliteSpanStore;
import io.tracegate.testing.TokenGateway;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Point 2 of issue 23: rollouts of the same task share a {@code group_id}, given three ways (registration's
 * {@code group_id}, registration metadata, the {@code x-tracegate-group} header); the export carries it as a column
 * and {@code group_stats} adds each group's reward mean/std and each row's advantage (verl's GRPO formula).
 */
class GroupStatsExportTest {
  @TempDir Path dir;

  @Test
  void rowsOfOneTaskShareTheirGroupAndGetItsStatistics() throws Exception {
    String api;
    try (TokenGateway tg = new TokenGateway(dir)) {
      assertThat(tg.gw.post("/api/rollouts", "{\"rollout_id\":\"ga\",\"group_id\":\"q1\"}").statusCode())
          .isEqualTo(201);
      assertThat(tg.gw.post("/api/rollouts", "{\"rollout_id\":\"gc\",\"metadata\":{\"group_id\":\"q1\"}}")
          .statusCode()).isEqualTo(201);
      HttpResponse<String> conflict = tg.gw.post("/api/rollouts",
          "{\"rollout_id\":\"gx\",\"group_id\":\"q1\",\"metadata\":{\"group_id\":\"q9\"}}");
      assertThat(conflict.statusCode()).isEqualTo(400);
      assertThat(conflict.body()).contains("'group_id' and 'metadata.group_id' differ");
      Map<String, Double> rewards = Map.of("ga", 1.0, "gb", 0.0, "gc", 0.5, "gd", 0.25, "ge", 0.7);
      for (String rollout : List.of("ga", "gb", "gc", "gd", "ge")) {
        String[] headers = switch (rollout) {
          case "gb" -> new String[] {"x-tracegate-group", "q1"};
          case "gd" -> new String[] {"x-tracegate-group", " q2 "};
          default -> new String[0];
        };
        tg.chat(rollout, "1", messages(msg("user", "solve task " + rollout)), headers);
        tg.reward(rollout, rewards.get(rollout));
        tg.gw.awaitSpans(rollout, 2);
      }
      awaitGroup(tg, "gb", "q1");
      awaitGroup(tg, "gd", "q2");
      api = tg.gw.get("/api/triplets?group_stats=true").body();
    }

    List<JsonNode> rows = RowFiles.jsonlText(api);
    assertThat(rows).extracting(r -> r.get("rollout_id").asText()).containsExactly("ga", "gb", "gc", "gd", "ge");
    Map<String, JsonNode> byRollout = rows.stream().collect(Collectors.toMap(r -> r.get("rollout_id").asText(), r -> r));
    assertThat(byRollout.get("gb").get("group_id").asText()).isEqualTo("q1");
    assertThat(byRollout.get("gd").get("group_id").asText()).isEqualTo("q2");
    assertThat(byRollout.get("ge").get("group_id").isNull()).isTrue();
    // q1: rewards 1.0, 0.0, 0.5 -> mean 0.5, sample std 0.5; advantage = (r - mean) / (std + 1e-6)
    for (String r : List.of("ga", "gb", "gc")) {
      JsonNode row = byRollout.get(r);
      assertThat(row.get("group_size").asLong()).isEqualTo(3);
      assertThat(row.get("group_reward_mean").asDouble()).isCloseTo(0.5, within(1e-12));
      assertThat(row.get("group_reward_std").asDouble()).isCloseTo(0.5, within(1e-12));
      assertThat(row.get("advantage").asDouble())
          .isCloseTo((row.get("reward").asDouble() - 0.5) / (0.5 + 1e-6), within(1e-12));
    }
    assertThat(byRollout.get("ga").get("advantage").asDouble()).isCloseTo(0.999998, within(1e-6));
    assertThat(byRollout.get("gc").get("advantage").asDouble()).isCloseTo(0.0, within(1e-12));
    // q2 has one rewarded row: as verl, mean 0 and std 1, so its advantage is its reward / (1 + 1e-6)
    assertThat(byRollout.get("gd").get("group_size").asLong()).isEqualTo(1);
    assertThat(byRollout.get("gd").get("group_reward_mean").asDouble()).isZero();
    assertThat(byRollout.get("gd").get("group_reward_std").asDouble()).isEqualTo(1.0);
    assertThat(byRollout.get("gd").get("advantage").asDouble()).isCloseTo(0.25 / (1 + 1e-6), within(1e-12));
    for (String column : List.of("group_size", "group_reward_mean", "group_reward_std", "advantage")) {
      assertThat(byRollout.get("ge").get(column).isNull()).as(column).isTrue();
    }

    // the same statistics in a Parquet file of the verl layout, as DuckDB reads it; a filtered export's
    // statistics cover only the rows it writes (here: rewards >= 0.5 leave q1 with 1.0 and 0.5)
    Path parquet = dir.resolve("verl.parquet");
    try (SqliteSpanStore store = SqliteSpanStore.openReadOnly(dir.resolve("spans.db"));
        DatasetWriter p = ParquetDatasetWriter.create(parquet, TrainerSchema.VERL, true)) {
      new DatasetExporter(store, AdapterOptions.DEFAULT, true)
          .export(new ExportFilter(null, "latest", null, null, 0.5), p, null);
    }
    List<JsonNode> verl = RowFiles.parquetByDuckDb(parquet);
    assertThat(verl).extracting(r -> r.get("rollout_id").asText()).containsExactly("ga", "gc", "ge");
    double std = Math.sqrt(0.125);
    assertThat(verl.get(0).get("group_reward_mean").asDouble()).isCloseTo(0.75, within(1e-12));
    assertThat(verl.get(0).get("group_reward_std").asDouble()).isCloseTo(std, within(1e-12));
    assertThat(verl.get(1).get("advantage").asDouble()).isCloseTo(-0.25 / (std + 1e-6), within(1e-12));
    assertThat(RowFiles.parquetColumnsByDuckDb(parquet)).containsEntry("group_id", "VARCHAR")
        .containsEntry("advantage", "DOUBLE").containsEntry("group_size", "BIGINT");
  }

  private static void awaitGroup(TokenGateway tg, String rollout, String group) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (true) {
      JsonNode summary = Spans.json(tg.gw.get("/api/rollouts/" + rollout).body());
      if (group.equals(summary.path("metadata").path("group_id").asText(null))) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("rollout " + rollout + " never got group " + group + ": " + summary);
      }
      TimeUnit.MILLISECONDS.sleep(20);
    }
  }
}
