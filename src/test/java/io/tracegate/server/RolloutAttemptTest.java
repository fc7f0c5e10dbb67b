package io.tracegate.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracegate.config.ConfigLoader;
import io.tracegate.testing.TestGateway;
import io.tracegate.trace.Span;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which attempt the rollout API sees, over HTTP: a reward or a new attempt posted right after a call (no
 * sleep) counts that call although its span is still in the batching writer, and "latest attempt" in
 * {@code /api/triplets} is the attempt created last. The store's flush interval is long here, so a span
 * reaches the store only when something flushes the writer: without the flush these races are lost every time.
 */
class RolloutAttemptTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir static Path dir;
  static TestGateway gw;

  @BeforeAll
  static void start() throws Exception {
    Path config = TestGateway.writeCapturingPolicyConfig(dir, "attempts.db", ", flush_interval: 30s");
    gw = TestGateway.start(ConfigLoader.load(config, Map.of()));
  }

  @AfterAll
  static void stop() {
    gw.close();
  }

  private static String chat(String text) {
    return "{\"model\":\"policy\",\"messages\":[{\"role\":\"user\",\"content\":\"" + text + "\"}],\"max_tokens\":6}";
  }

  private static JsonNode created(HttpResponse<String> r) throws Exception {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return JSON.readTree(r.body());
  }

  private static List<Span> rewards(String rolloutId) throws Exception {
    return gw.spans(rolloutId).stream().filter(s -> Span.KIND_REWARD.equals(s.kind())).toList();
  }

  private static List<JsonNode> triplets(String query) throws Exception {
    HttpResponse<String> r = gw.get("/api/triplets?" + query);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    List<JsonNode> rows = new ArrayList<>();
    for (String line : r.body().lines().filter(l -> !l.isBlank()).toList()) {
      rows.add(JSON.readTree(line));
    }
    return rows;
  }

  @Test
  void aRewardPostedRightAfterACallGetsThatCallsAttempt() throws Exception {
    assertThat(gw.post("/rollout/now-path/attempt/7/v1/chat/completions", chat("solve it")).statusCode())
        .isEqualTo(200);
    JsonNode reward = created(gw.post("/api/rollouts/now-path/rewards", "{\"value\": 1.0}"));

    assertThat(reward.path("attempt_id").asText(null)).isEqualTo("7");
    assertThat(rewards("now-path")).extracting(Span::attemptId).containsExactly("7");
    assertThat(triplets("rollout_id=now-path")).singleElement()
        .satisfies(t -> assertThat(t.path("reward").asDouble()).isEqualTo(1.0));
  }

  @Test
  void aRewardPostedRightAfterAHeaderGroupedCallGetsThatCallsAttempt() throws Exception {
    HttpResponse<String> call = gw.post("/v1/chat/completions", chat("solve it by header"),
        RolloutScope.ROLLOUT_HEADER, "now-header", RolloutScope.ATTEMPT_HEADER, "h1");
    assertThat(call.statusCode()).isEqualTo(200);
    JsonNode reward = created(gw.post("/api/rollouts/now-header/rewards", "{\"value\": 0.5, \"name\": \"score\"}"));

    assertThat(reward.path("attempt_id").asText(null)).isEqualTo("h1");
    assertThat(rewards("now-header")).extracting(Span::attemptId).containsExactly("h1");
  }

  @Test
  void aNewAttemptRightAfterTheFirstCallOfAnImplicitRolloutIsTheNextOne() throws Exception {
    assertThat(gw.post("/rollout/now-implicit/attempt/1/v1/chat/completions", chat("first go")).statusCode())
        .isEqualTo(200);
    JsonNode next = created(gw.post("/api/rollouts/now-implicit/attempts", "{}"));

    assertThat(next.path("attempt_id").asText()).isEqualTo("2");
  }

  @Test
  void registeringARolloutIdThatACallJustUsedIsAConflict() throws Exception {
    assertThat(gw.post("/rollout/now-taken/attempt/1/v1/chat/completions", chat("taken")).statusCode())
        .isEqualTo(200);

    assertThat(gw.post("/api/rollouts", "{\"rollout_id\":\"now-taken\"}").statusCode()).isEqualTo(409);
  }

  @Test
  void latestAttemptIsTheOneCreatedLastEvenBeforeItHasCalls() throws Exception {
    assertThat(created(gw.post("/api/rollouts", "{\"rollout_id\":\"latest\"}")).path("attempt_id").asText())
        .isEqualTo("1");
    assertThat(gw.post("/rollout/latest/attempt/1/v1/chat/completions", chat("try one a")).statusCode())
        .isEqualTo(200);
    assertThat(gw.post("/rollout/latest/attempt/1/v1/chat/completions", chat("try one b")).statusCode())
        .isEqualTo(200);
    assertThat(created(gw.post("/api/rollouts/latest/attempts", "")).path("attempt_id").asText()).isEqualTo("2");
    gw.awaitSpans("latest", 2);

    assertThat(triplets("rollout_id=latest")).isEmpty();
    assertThat(triplets("rollout_id=latest&attempt=latest")).isEmpty();
    assertThat(triplets("rollout_id=latest&attempt=all")).extracting(t -> t.path("attempt_id").asText())
        .containsExactly("1", "1");

    assertThat(gw.post("/rollout/latest/attempt/2/v1/chat/completions", chat("try two")).statusCode())
        .isEqualTo(200);
    gw.awaitSpans("latest", 3);

    List<JsonNode> latest = triplets("rollout_id=latest");
    assertThat(latest).extracting(t -> t.path("attempt_id").asText()).containsExactly("2");
    assertThat(latest.get(0).path("turn").asInt()).isZero();
  }
}
