package io.tracegate.dataset;

import static io.tracegate.testing.TokenGateway.messages;
import static io.tracegate.testing.TokenGateway.msg;
import static io.tracegate.testing.TokenizingVllmUpstream.logprob;
import static io.tracegate.testing.TokenizingVllmUpstream.prompt;
import static io.tracegate.testing.TokenizingVllmUpstream.response;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.tracegate.store.sqlite.SqliteSpanStore;
import io.tracegate.testing.TokenGateway;
import io.tracegate.testing.TokenizingVllmUpstream.Answer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Point 4 of issue 23: one rollout interleaves a lead conversation, a sub-agent's conversation and a side call (as
 * Claude Code does with Task sub-agents and its small model). Merge mode follows each conversation along its own
 * branch: three rows with the right masks, where merging only consecutive calls cuts them into six.
 */
class BranchMergeTest {
  @TempDir Path dir;

  private static final Map<String, String> ANSWERS = Map.of(
      "fix the bug", "i will delegate",
      "find the file", "found it in main",
      "the sub agent found it", "fixing now",
      "write a title", "bug fix",
      "read it", "read done",
      "tests pass", "done");

  @Test
  void interleavedConversationsMergeAlongTheirOwnBranches() throws Exception {
    List<ArrayNode> lead = new ArrayList<>();
    List<ArrayNode> sub = new ArrayList<>();
    ArrayNode side = messages(msg("user", "write a title"));
    String merged;
    String consecutive;
    List<String> spans = new ArrayList<>();
    try (TokenGateway tg = new TokenGateway(dir)) {
      tg.upstream.script(m -> Answer.of(ANSWERS.get(m.get(m.size() - 1).path("content").asText())));
      lead.add(messages(msg("system", "you are the lead"), msg("user", "fix the bug")));
      JsonNode a = tg.chat("rb", "1", lead.get(0));
      sub.add(messages(msg("system", "you are a sub agent"), msg("user", "find the file")));
      JsonNode b = tg.chat("rb", "1", sub.get(0));
      lead.add(lead.get(0).deepCopy().add(a).add(msg("user", "the sub agent found it")));
      a = tg.chat("rb", "1", lead.get(1));
      tg.chat("rb", "1", side);
      sub.add(sub.get(0).deepCopy().add(b).add(msg("user", "read it")));
      tg.chat("rb", "1", sub.get(1));
      lead.add(lead.get(1).deepCopy().add(a).add(msg("user", "tests pass")));
      tg.chat("rb", "1", lead.get(2));
      tg.reward("rb", 1.0);
      tg.gw.awaitSpans("rb", 7);
      for (long seq = 1; seq <= 6; seq++) {
        spans.add(tg.spanId("rb", seq));
      }
      merged = tg.gw.get("/api/triplets?rollout_id=rb&merge=true").body();
      consecutive = tg.gw.get("/api/triplets?rollout_id=rb&merge=true&semantics=agl-v1").body();
    }

    List<JsonNode> rows = RowFiles.jsonlText(merged);
    assertThat(rows).hasSize(3);
    assertBranch(rows.get(0), 0, lead, spans.get(5));
    assertBranch(rows.get(1), 1, sub, spans.get(4));
    assertBranch(rows.get(2), 2, List.of(side), spans.get(3));
    assertThat(rows).extracting(r -> r.get("reward").isNull() ? null : r.get("reward").asDouble())
        .containsExactly(1.0, null, null);
    assertThat(RowFiles.jsonlText(consecutive)).as("consecutive merge (agl-v1)").hasSize(6);

    try (SqliteSpanStore store = SqliteSpanStore.openReadOnly(dir.resolve("spans.db"))) {
      ExportSummary summary = new DatasetExporter(store, AdapterOptions.parse("matched", true))
          .export(ExportFilter.LATEST_ATTEMPTS, new ListWriter(), null);
      assertThat(summary.continuing()).as("calls that continue a conversation").isEqualTo(3);
      assertThat(summary.drifted()).isZero();
    }
  }

  /** The branch's row: first prompt; each turn's response (mask 1) and inserted prompt tokens (mask 0). */
  private static void assertBranch(JsonNode row, long branch, List<ArrayNode> turns, String lastSpan) {
    List<Integer> first = prompt(turns.get(0));
    List<Integer> ids = new ArrayList<>();
    List<Integer> mask = new ArrayList<>();
    List<Double> logprobs = new ArrayList<>();
    int covered = first.size();
    for (int t = 0; t < turns.size(); t++) {
      List<Integer> p = prompt(turns.get(t));
      for (int id : p.subList(covered, p.size())) {
        ids.add(id);
        mask.add(0);
        logprobs.add(0.0);
      }
      String said = ANSWERS.get(turns.get(t).get(turns.get(t).size() - 1).path("content").asText());
      for (int id : response(Answer.of(said))) {
        ids.add(id);
        mask.add(1);
        logprobs.add(logprob(id));
      }
      covered = p.size() + response(Answer.of(said)).size();
    }
    assertThat(row.get("branch").asLong()).isEqualTo(branch);
    assertThat(row.get("turn").asLong()).isEqualTo(branch);
    assertThat(row.get("turns").asLong()).isEqualTo(turns.size());
    assertThat(row.get("span_id").asText()).isEqualTo(lastSpan);
    assertThat(row.get("prompt_token_ids")).isEqualTo(RowFiles.normalise(Spans.JSON.valueToTree(first)));
    assertThat(row.get("response_token_ids")).isEqualTo(RowFiles.normalise(Spans.JSON.valueToTree(ids)));
    assertThat(row.get("loss_mask")).isEqualTo(RowFiles.normalise(Spans.JSON.valueToTree(mask)));
    assertThat(RowFiles.normalise(row.get("response_logprobs")))
        .isEqualTo(RowFiles.normalise(Spans.JSON.valueToTree(logprobs)));
    if (turns.size() > 1) {
      assertThat(mask).contains(0);
    }
  }
}
