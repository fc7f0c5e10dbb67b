package io.tracegate.dataset;

import static io.tracegate.testing.TokenGateway.messages;
import static io.tracegate.testing.TokenGateway.msg;
import static io.tracegate.testing.TokenizingVllmUpstream.logprob;
import static io.tracegate.testing.TokenizingVllmUpstream.prompt;
import static io.tracegate.testing.TokenizingVllmUpstream.response;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tracegate.store.sqlite.SqliteSpanStore;
import io.tracegate.testing.TokenGateway;
import io.tracegate.testing.TokenizingVllmUpstream.Answer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Point 1 of issue 23: the same samples in each trainer's layout. A two-turn conversation (rewarded 1.0, group
 * {@code task-7}, policy version {@code step-3}) runs through a real gateway in front of a vLLM-like upstream
 * whose token ids the test knows; each layout's rows, per call and merged, are exported as JSONL and Parquet from
 * the real SQLite file, and must equal the rows built here from the tokenizer (Parquet read by DuckDB).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TrainerSchemaExportTest {
  @TempDir static Path dir;

  List<Integer> promptA;
  List<Integer> responseA;
  List<Integer> promptB;
  List<Integer> responseB;
  String messagesA;
  String messagesB;
  String spanA;
  String spanB;
  String apiVerl;

  @BeforeAll
  void runTheConversation() throws Exception {
    ArrayNode first = messages(msg("system", "you are terse"), msg("user", "what is two plus two"));
    try (TokenGateway tg = new TokenGateway(dir)) {
      tg.upstream.script(m -> m.size() == 2 ? Answer.of("four") : Answer.of("twelve of course"));
      assertThat(tg.gw.post("/api/rollouts", "{\"rollout_id\":\"r1\",\"group_id\":\"task-7\"}").statusCode())
          .isEqualTo(201);
      JsonNode answer = tg.chat("r1", "1", first, "x-model-version", "step-3");
      ArrayNode second = first.deepCopy().add(answer).add(msg("user", "and times three"));
      tg.chat("r1", "1", second, "x-model-version", "step-3");
      tg.reward("r1", 1.0);
      tg.gw.awaitSpans("r1", 3);
      spanA = tg.spanId("r1", 1);
      spanB = tg.spanId("r1", 2);
      apiVerl = tg.gw.get("/api/triplets?rollout_id=r1&schema=verl").body();
      promptA = prompt(first);
      responseA = response(Answer.of("four"));
      promptB = prompt(second);
      responseB = response(Answer.of("twelve of course"));
      messagesA = Spans.JSON.writeValueAsString(first);
      messagesB = Spans.JSON.writeValueAsString(second);
    }
  }

  @Test
  void tracegateRowsKeepTheirColumnsAndAddGroupBranchTurnsAndStopReason() throws Exception {
    assertLayout(TrainerSchema.TRACEGATE, false, List.of(
        tracegate(0, 1, promptA, responseA, null, messagesA, "four", spanA),
        tracegate(1, 2, promptB, responseB, 1.0, messagesB, "twelve of course", spanB)));
  }

  @Test
  void verlRowsAreAgentLoopOutputs() throws Exception {
    List<JsonNode> expected = List.of(
        verl(promptA, responseA, ones(responseA.size()), logprobs(responseA, null), null, 2, spanA, null, 1),
        verl(promptB, responseB, ones(responseB.size()), logprobs(responseB, null), 1.0, 4, spanB, null, 1));
    assertLayout(TrainerSchema.VERL, false, expected);
    assertThat(RowFiles.jsonlText(apiVerl)).as("GET /api/triplets?schema=verl").isEqualTo(expected);
  }

  @Test
  void mergedVerlRowMasksTheInsertedTurnAndZeroesItsLogprobs() throws Exception {
    List<Integer> merged = mergedResponse();
    List<Integer> mask = mergedMask();
    assertLayout(TrainerSchema.VERL, true,
        List.of(verl(promptA, merged, mask, logprobs(merged, mask), 1.0, 4, spanB, 0L, 2)));
  }

  @Test
  void skyrlRowsAreGeneratorOutputElements() throws Exception {
    assertLayout(TrainerSchema.SKYRL, false, List.of(
        skyrl(promptA, responseA, null, spanA, false),
        skyrl(promptB, responseB, 1.0, spanB, true)));
  }

  @Test
  void slimeRowsAreSamplesWithPromptAndResponseInTokens() throws Exception {
    assertLayout(TrainerSchema.SLIME, false, List.of(
        slime(0, promptA, responseA, ones(responseA.size()), logprobs(responseA, null), null, "four", spanA, null, 1),
        slime(1, promptB, responseB, ones(responseB.size()), logprobs(responseB, null), 1.0, "twelve of course",
            spanB, null, 1)));
    List<Integer> merged = mergedResponse();
    List<Integer> mask = mergedMask();
    assertLayout(TrainerSchema.SLIME, true, List.of(
        slime(0, promptA, merged, mask, logprobs(merged, mask), 1.0, "twelve of course", spanB, 0L, 2)));
  }

  /** Exports the layout as JSONL and Parquet; both must equal the expected rows. */
  private void assertLayout(TrainerSchema schema, boolean merge, List<JsonNode> expected) throws Exception {
    String name = schema.cliName() + (merge ? "-merged" : "");
    Path jsonl = dir.resolve(name + ".jsonl");
    Path parquet = dir.resolve(name + ".parquet");
    try (SqliteSpanStore store = SqliteSpanStore.openReadOnly(dir.resolve("spans.db"));
        DatasetWriter j = JsonlDatasetWriter.create(jsonl, schema, false);
        DatasetWriter p = ParquetDatasetWriter.create(parquet, schema, false)) {
      DatasetExporter exporter = new DatasetExporter(store, AdapterOptions.parse("matched", merge));
      exporter.export(ExportFilter.LATEST_ATTEMPTS, j, null);
      exporter.export(ExportFilter.LATEST_ATTEMPTS, p, null);
    }
    List<JsonNode> rows = RowFiles.jsonl(jsonl);
    assertThat(rows).as("%s JSONL", name).isEqualTo(expected);
    assertThat(fieldNames(rows.get(0))).isEqualTo(fieldNames(expected.get(0)));
    List<JsonNode> fromParquet = RowFiles.parquetByDuckDb(parquet);
    if (schema == TrainerSchema.TRACEGATE) {
      fromParquet.forEach(r -> ((ObjectNode) r).set("rewards", Spans.json(r.get("rewards").asText())));
    }
    assertThat(fromParquet).as("%s Parquet read by DuckDB", name).isEqualTo(expected);
    assertThat(fieldNames(fromParquet.get(0))).isEqualTo(fieldNames(expected.get(0)));
  }

  private ObjectNode tracegate(long turn, long seq, List<Integer> prompt, List<Integer> response, Double reward,
      String messages, String text, String span) {
    ObjectNode r = Spans.JSON.createObjectNode();
    r.put("rollout_id", "r1").put("attempt_id", "1").put("sequence_id", seq).put("turn", turn)
        .put("model", TokenGateway.BACKEND_MODEL);
    r.set("prompt_token_ids", ids(prompt));
    r.set("response_token_ids", ids(response));
    r.set("response_logprobs", logprobs(response, null));
    r.put("reward", reward);
    ObjectNode rewards = r.putObject("rewards");
    if (reward != null) {
      rewards.put("reward", reward);
    }
    r.put("messages", messages).put("response_text", text).put("span_id", span).putNull("loss_mask");
    r.put("model_version", "step-3").put("group_id", "task-7").putNull("branch");
    r.put("turns", 1L).put("stop_reason", "stop");
    return (ObjectNode) RowFiles.normalise(r);
  }

  private JsonNode verl(List<Integer> prompt, List<Integer> response, List<Integer> mask, ArrayNode logprobs,
      Double reward, long numTurns, String span, Long branch, long turns) {
    ObjectNode r = Spans.JSON.createObjectNode();
    r.set("prompt_ids", ids(prompt));
    r.set("response_ids", ids(response));
    r.set("response_mask", ids(mask));
    r.set("response_logprobs", logprobs);
    r.put("reward_score", reward).put("num_turns", numTurns);
    identity(r, span, branch, turns);
    return RowFiles.normalise(r);
  }

  private JsonNode skyrl(List<Integer> prompt, List<Integer> response, Double reward, String span, boolean last) {
    ObjectNode r = Spans.JSON.createObjectNode();
    r.set("prompt_token_ids", ids(prompt));
    r.set("response_ids", ids(response));
    r.put("rewards", reward);
    r.set("loss_masks", ids(ones(response.size())));
    r.set("rollout_logprobs", logprobs(response, null));
    r.put("stop_reasons", "stop");
    r.putObject("trajectory_ids").put("instance_id", "task-7").put("repetition_id", 0L);
    r.put("is_last_step", last);
    identity(r, span, null, 1);
    return RowFiles.normalise(r);
  }

  private JsonNode slime(long index, List<Integer> prompt, List<Integer> response, List<Integer> mask,
      ArrayNode logprobs, Double reward, String text, String span, Long branch, long turns) {
    ObjectNode r = Spans.JSON.createObjectNode();
    r.put("group_index", 0L).put("index", index).put("rollout_id", 0L);
    List<Integer> tokens = new ArrayList<>(prompt);
    tokens.addAll(response);
    r.set("tokens", ids(tokens));
    r.put("response_length", (long) response.size());
    r.set("loss_mask", ids(mask));
    r.set("rollout_log_probs", logprobs);
    r.put("reward", reward).put("status", "completed").put("response", text);
    r.putArray("weight_versions").add("step-3");
    ObjectNode m = r.putObject("metadata");
    m.put("rollout_id", "r1").put("attempt_id", "1").put("span_id", span).put("group_id", "task-7")
        .put("model_version", "step-3").put("branch", branch).put("turns", turns);
    return RowFiles.normalise(r);
  }

  private static void identity(ObjectNode r, String span, Long branch, long turns) {
    r.put("rollout_id", "r1").put("attempt_id", "1").put("span_id", span).put("group_id", "task-7")
        .put("model_version", "step-3").put("branch", branch).put("turns", turns);
  }

  /** A's response, the tokens B's prompt inserted after A's prompt + response, then B's response. */
  private List<Integer> mergedResponse() {
    List<Integer> merged = new ArrayList<>(responseA);
    merged.addAll(promptB.subList(promptA.size() + responseA.size(), promptB.size()));
    merged.addAll(responseB);
    return merged;
  }

  private List<Integer> mergedMask() {
    List<Integer> mask = new ArrayList<>(ones(responseA.size()));
    int inserted = promptB.size() - promptA.size() - responseA.size();
    assertThat(inserted).as("B's prompt inserts the user turn").isGreaterThan(2);
    for (int i = 0; i < inserted; i++) {
      mask.add(0);
    }
    mask.addAll(ones(responseB.size()));
    return mask;
  }

  private static List<Integer> ones(int n) {
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(1);
    }
    return out;
  }

  private static ArrayNode ids(List<Integer> ids) {
    ArrayNode a = Spans.JSON.createArrayNode();
    ids.forEach(a::add);
    return a;
  }

  /** The fake's logprob of each token, 0.0 where the mask is 0. */
  private static ArrayNode logprobs(List<Integer> ids, List<Integer> mask) {
    ArrayNode a = Spans.JSON.createArrayNode();
    for (int i = 0; i < ids.size(); i++) {
      a.add(mask != null && mask.get(i) == 0 ? 0.0 : logprob(ids.get(i)));
    }
    return a;
  }

  private static List<String> fieldNames(JsonNode row) {
    List<String> names = new ArrayList<>();
    row.fieldNames().forEachRemaining(names::add);
    return names;
  }

}
