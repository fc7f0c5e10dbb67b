package io.tracegate.cli;

import static io.tracegate.testing.TokenGateway.messages;
import static io.tracegate.testing.TokenGateway.msg;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.tracegate.testing.TokenGateway;
import io.tracegate.testing.TokenizingVllmUpstream;
import io.tracegate.testing.TokenizingVllmUpstream.Answer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Point 5 of issue 23: the model thinks before answering, the client sends its answer back without the thinking,
 * so the next prompt re-renders the history with other tokens than were generated. {@code tracegate export}
 * (its own process) counts that call as drift in its summary line and writes the case, with the first differing
 * position in the new prompt, to {@code --drift-report}; a side call that starts a new conversation is not drift.
 */
class DriftReportCliTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;

  @Test
  void thinkingStrippedFromHistoryIsCountedAsDriftAtItsPosition() throws Exception {
    ArrayNode first = messages(msg("user", "what is two plus two"));
    ArrayNode second;
    String spanA;
    String spanB;
    try (TokenGateway tg = new TokenGateway(dir)) {
      tg.upstream.script(m -> m.size() == 1 && m.get(0).path("content").asText().startsWith("what")
          ? Answer.thinking("two and two make four", "four") : Answer.of("twelve"));
      JsonNode answer = tg.chat("rd", "1", first);
      assertThat(answer.path("content").asText()).isEqualTo("four");
      second = first.deepCopy().add(answer).add(msg("user", "and times three"));
      tg.chat("rd", "1", second);
      tg.chat("rd", "1", messages(msg("user", "name this chat")));
      tg.gw.awaitSpans("rd", 3);
      spanA = tg.spanId("rd", 1);
      spanB = tg.spanId("rd", 2);
    }
    Path config = dir.resolve("export.yaml");
    Files.writeString(config, "store: { kind: sqlite, path: " + dir.resolve("spans.db")
        + " }\nmodels:\n  - name: m\n    backends:\n      - provider: mock\n");
    Path out = dir.resolve("merged.jsonl");
    Path report = dir.resolve("reports/drift.jsonl");
    List<String> lines = CliProcess.ok("export", "--config", config.toString(), "--out", out.toString(), "--merge",
        "--drift-report", report.toString());

    assertThat(lines).singleElement().asString().contains("exported 3 triplet(s)")
        .contains("drift: 1 of 1 continuing call(s) did not extend the tokens of the call they continue");
    // the drifted turn cannot join the first one: three rows (two conversations' worth, one cut by drift)
    assertThat(Files.readAllLines(out)).hasSize(3);
    List<String> cases = Files.readAllLines(report);
    assertThat(cases).hasSize(1);
    JsonNode c = JSON.readTree(cases.get(0));
    List<Integer> promptA = TokenizingVllmUpstream.prompt(first);
    List<Integer> expected = new java.util.ArrayList<>(promptA);
    expected.addAll(TokenizingVllmUpstream.response(Answer.thinking("two and two make four", "four")));
    assertThat(c.get("rollout_id").asText()).isEqualTo("rd");
    assertThat(c.get("span_id").asText()).isEqualTo(spanB);
    assertThat(c.get("continues_span_id").asText()).isEqualTo(spanA);
    // the first token after A's prompt: A generated <think>, B's prompt re-renders "four" there
    assertThat(c.get("position").asInt()).isEqualTo(promptA.size());
    assertThat(c.get("actual_token_id").asInt()).isEqualTo(TokenizingVllmUpstream.word("four"));
    assertThat(c.get("expected_token_id").asInt()).isEqualTo(TokenizingVllmUpstream.THINK);
    assertThat(c.get("prompt_length").asInt()).isEqualTo(TokenizingVllmUpstream.prompt(second).size());
    assertThat(c.get("expected_length").asInt()).isEqualTo(expected.size());
  }
}
