package io.tracegate.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracegate.cli.Main;
import io.tracegate.config.ConfigLoader;
import io.tracegate.dataset.RewardSpans;
import io.tracegate.testing.TestGateway;
import io.tracegate.trace.Span;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rollouts, attempts and rewards over HTTP and the CLI, and export of what they produce. */
class RolloutApiTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir static Path dir;
  static Path config;
  static TestGateway gw;

  @BeforeAll
  static void start() throws Exception {
    config = TestGateway.writeCapturingPolicyConfig(dir, "rollouts.db", "");
    gw = TestGateway.start(ConfigLoader.load(config, Map.of()));
  }

  @AfterAll
  static void stop() {
    gw.close();
  }

  private static String chat(String text) {
    return "{\"model\":\"policy\",\"messages\":[{\"role\":\"user\",\"content\":\"" + text + "\"}],\"max_tokens\":6}";
  }

  @Test
  void createRolloutUseItsBaseUrlAddAttempts() throws Exception {
    HttpResponse<String> created = gw.post("/api/rollouts", "{\"rollout_id\":\"job-1\",\"metadata\":{\"task\":\"swe-42\"}}");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    JsonNode c = JSON.readTree(created.body());
    assertThat(c.path("attempt_id").asText()).isEqualTo("1");
    String openAiBase = c.path("openai_base_url").asText();
    assertThat(openAiBase).isEqualTo(gw.url("/rollout/job-1/attempt/1/v1"));
    assertThat(c.path("anthropic_base_url").asText()).isEqualTo(gw.url("/rollout/job-1/attempt/1"));
    assertThat(gw.post("/api/rollouts", "{\"rollout_id\":\"job-1\"}").statusCode()).isEqualTo(409);

    String path = openAiBase.substring(gw.url("").length()) + "/chat/completions";
    assertThat(gw.post(path, chat("first try")).statusCode()).isEqualTo(200);

    HttpResponse<String> next = gw.post("/api/rollouts/job-1/attempts", "");
    assertThat(next.statusCode()).isEqualTo(201);
    assertThat(JSON.readTree(next.body()).path("attempt_id").asText()).isEqualTo("2");
    assertThat(gw.post("/rollout/job-1/attempt/2/v1/chat/completions", chat("second try")).statusCode()).isEqualTo(200);

    JsonNode summary = JSON.readTree(gw.get("/api/rollouts/job-1").body());
    assertThat(summary.path("metadata").path("task").asText()).isEqualTo("swe-42");
    assertThat(summary.path("attempts").toString()).isEqualTo("[\"1\",\"2\"]");
    List<Span> spans = gw.awaitSpans("job-1", 2);
    assertThat(spans).extracting(Span::attemptId).containsExactly("1", "2");
  }

  @Test
  void generatedIdsImplicitRolloutsAndUnknownOnes() throws Exception {
    JsonNode generated = JSON.readTree(gw.post("/api/rollouts", "").body());
    assertThat(generated.path("rollout_id").asText()).startsWith("ro-");

    assertThat(gw.post("/rollout/implicit-r/attempt/a/v1/chat/completions", chat("hi")).statusCode()).isEqualTo(200);
    gw.awaitSpans("implicit-r", 1);
    assertThat(gw.get("/api/rollouts/implicit-r").statusCode()).isEqualTo(200);
    HttpResponse<String> attempt = gw.post("/api/rollouts/implicit-r/attempts", "{}");
    assertThat(attempt.statusCode()).isEqualTo(201);
    assertThat(JSON.readTree(attempt.body()).path("attempt_id").asText()).isEqualTo("2");

    assertThat(gw.post("/api/rollouts/never-seen/attempts", "{}").statusCode()).isEqualTo(404);
    assertThat(gw.post("/api/rollouts", "{\"metadata\": 5}").statusCode()).isEqualTo(400);
  }

  @Test
  void rewardsThroughCliAndExportThroughCli() throws Exception {
    assertThat(gw.post("/rollout/rl-1/attempt/1/v1/chat/completions", chat("step one")).statusCode()).isEqualTo(200);
    assertThat(gw.post("/rollout/rl-1/attempt/1/v1/chat/completions", chat("step two")).statusCode()).isEqualTo(200);
    List<Span> calls = gw.awaitSpans("rl-1", 2);

    assertThat(Main.run("reward", "--url", gw.gateway().baseUrl(), "--rollout", "rl-1", "--value", "0.25",
        "--name", "format", "--span", calls.get(0).spanId())).isZero();
    assertThat(Main.run("reward", "--url", gw.gateway().baseUrl(), "--rollout", "rl-1", "--value", "1.0")).isZero();
    assertThat(Main.run("reward", "--url", gw.gateway().baseUrl(), "--rollout", "rl-1", "--value", "1",
        "--span", "ffffffffffffffff")).isEqualTo(2);
    List<Span> rewards = gw.spans("rl-1").stream().filter(s -> s.kind().equals("reward")).toList();
    assertThat(rewards).hasSize(2);
    assertThat(rewards).extracting(Span::sequenceId).containsExactly(3L, 4L);
    assertThat(RewardSpans.targetSpanId(rewards.get(0))).isEqualTo(calls.get(0).spanId());

    Path jsonl = dir.resolve("out/rl.jsonl");
    Path parquet = dir.resolve("out/rl.parquet");
    assertThat(Main.run("export", "--config", config.toString(), "--out", jsonl.toString(), "--rollout", "rl-1"))
        .isZero();
    assertThat(Main.run("export", "--config", config.toString(), "--out", parquet.toString(), "--rollout", "rl-1",
        "--reward-mode", "broadcast")).isZero();
    List<String> lines = Files.readAllLines(jsonl);
    assertThat(lines).hasSize(2);
    JsonNode first = JSON.readTree(lines.get(0));
    JsonNode second = JSON.readTree(lines.get(1));
    assertThat(first.path("rewards").path("format").asDouble()).isEqualTo(0.25);
    assertThat(second.path("reward").asDouble()).isEqualTo(1.0);
    assertThat(JSON.convertValue(first.path("response_token_ids"), int[].class)).containsExactly(calls.get(0).responseTokenIds());
    assertThat(Files.size(parquet)).isPositive();
    assertThat(Main.run("export", "--config", config.toString(), "--out", jsonl.toString(), "--reward-mode", "bogus"))
        .isEqualTo(2);
  }
}
