package io.tracegate.dataset;

import static io.tracegate.testing.TokenGateway.messages;
import static io.tracegate.testing.TokenGateway.msg;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tracegate.store.sqlite.SqliteSpanStore;
import io.tracegate.testing.TokenGateway;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Point 6 of issue 23: {@code semantics=agl-v1} reproduces Agent Lightning 1.0's extraction on the 2/4/6 example
 * (calls at sequence ids 2, 4, 6; rewards 0.1@5, 0.2@7, 0.3@8), with a call at 1 whose prompt the call at 2
 * repeats and a failed call at 3: latest attempt only, identical prompts deduplicated keeping the last, the final
 * reward on every row, 0.0 where a rollout has no reward. The default keeps its v0.x-compatible matching.
 */
class AglV1SemanticsTest {
  @TempDir Path dir;

  @Test
  void theTwoFourSixExampleGetsTheFinalRewardOnEveryRow() throws Exception {
    String agl;
    String matched;
    String unrewarded;
    HttpResponse<String> allAttempts;
    try (TokenGateway tg = new TokenGateway(dir)) {
      tg.chat("r246", "1", messages(msg("user", "first question")));                 // seq 1
      tg.chat("r246", "1", messages(msg("user", "first question")));                 // seq 2: same prompt ids
      tg.upstream.failNext(400);
      assertThat(tg.post("r246", "1", messages(msg("user", "broken"))).statusCode()).isEqualTo(400); // seq 3
      tg.chat("r246", "1", messages(msg("user", "second question")));                // seq 4
      tg.reward("r246", 0.1);                                                        // seq 5
      tg.chat("r246", "1", messages(msg("user", "third question")));                 // seq 6
      tg.reward("r246", 0.2);                                                        // seq 7
      tg.reward("r246", 0.3);                                                        // seq 8
      tg.gw.awaitSpans("r246", 8);
      // another rollout: attempt 1 rewarded, attempt 2 (the latest) without a reward
      tg.chat("rn", "1", messages(msg("user", "old attempt")));
      tg.reward("rn", 0.9);
      tg.chat("rn", "2", messages(msg("user", "new attempt")));
      tg.gw.awaitSpans("rn", 3);
      agl = tg.gw.get("/api/triplets?rollout_id=r246&semantics=agl-v1").body();
      matched = tg.gw.get("/api/triplets?rollout_id=r246").body();
      unrewarded = tg.gw.get("/api/triplets?rollout_id=rn&semantics=agl-v1").body();
      allAttempts = tg.gw.get("/api/triplets?semantics=agl-v1&attempt=all");
    }

    List<JsonNode> rows = RowFiles.jsonlText(agl);
    assertThat(rows).extracting(r -> r.get("sequence_id").asLong()).containsExactly(2L, 4L, 6L);
    assertThat(rows).extracting(r -> r.get("reward").asDouble()).containsExactly(0.3, 0.3, 0.3);
    assertThat(rows).extracting(r -> r.get("rewards")).allSatisfy(r -> assertThat(r)
        .isEqualTo(RowFiles.normalise(Spans.json("{\"reward\":0.3}"))));
    // the default (Agent Lightning v0.x): matched rewards, the repeated prompt kept (its response id differs)
    List<JsonNode> v0 = RowFiles.jsonlText(matched);
    assertThat(v0).extracting(r -> r.get("sequence_id").asLong()).containsExactly(1L, 2L, 4L, 6L);
    assertThat(v0).extracting(r -> r.get("reward").isNull() ? null : r.get("reward").asDouble())
        .containsExactly(null, 0.3, 0.1, 0.2);
    // latest attempt only, and no reward -> 0.0 on every row
    List<JsonNode> rn = RowFiles.jsonlText(unrewarded);
    assertThat(rn).extracting(r -> r.get("attempt_id").asText()).containsExactly("2");
    assertThat(rn).extracting(r -> r.get("reward").asDouble()).containsExactly(0.0);
    assertThat(allAttempts.statusCode()).isEqualTo(400);
    assertThat(allAttempts.body()).contains("latest attempt only");

    try (SqliteSpanStore store = SqliteSpanStore.openReadOnly(dir.resolve("spans.db"))) {
      ExportSummary summary = new DatasetExporter(store,
          AdapterOptions.DEFAULT.withSemantics(Semantics.AGL_V1)).export(
              new ExportFilter("r246", "latest", null, null, null), new ListWriter(), null);
      assertThat(summary.triplets()).isEqualTo(3);
      assertThat(summary.skipped()).containsEntry("duplicate_prompt_ids", 1L).containsEntry("error_status", 1L);
    }
  }
}
