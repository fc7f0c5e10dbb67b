package io.tracegate.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracegate.config.BackendConfig;
import io.tracegate.config.StoreConfig;
import io.tracegate.testing.ScriptedUpstream;
import io.tracegate.testing.TestGateway;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every LLM span lists its upstream tries as {@code attempts} (and has a {@code model_version} key) in the span
 * JSON of {@code GET /api/spans}, read back from a real SQLite file: a success, an upstream error status, an
 * unreachable backend, and a request that never reached a backend (empty list). Reward spans have neither.
 */
class SpanAttemptsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir static Path dir;
  static ScriptedUpstream upstream;
  static ScriptedUpstream failing;
  static TestGateway gw;
  static int deadPort;

  @BeforeAll
  static void start() throws Exception {
    upstream = new ScriptedUpstream();
    failing = new ScriptedUpstream();
    failing.failWith(503, "{\"error\":{\"message\":\"overloaded\"}}");
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      deadPort = s.getLocalPort();
    }
    Map<String, BackendConfig> models = new LinkedHashMap<>();
    models.put("ok", TestGateway.openAi(upstream.openAiBaseUrl(), "policy-ok"));
    models.put("busy", TestGateway.openAi(failing.openAiBaseUrl(), "policy-busy"));
    BackendConfig dead = TestGateway.openAi("http://127.0.0.1:" + deadPort + "/v1", "policy-dead");
    models.put("dead", dead);
    gw = TestGateway.start(TestGateway.config(StoreConfig.sqlite(dir.resolve("spans.db").toString()), 1 << 20,
        models));
  }

  @AfterAll
  static void stop() throws Exception {
    gw.close();
    upstream.close();
    failing.close();
  }

  @Test
  void aServedCallHasOneAttemptWithItsStatusAndNoError() throws Exception {
    assertThat(chat("served", "ok").statusCode()).isEqualTo(200);
    JsonNode span = onlySpan("served");
    assertThat(span.has("model_version")).isTrue();
    assertThat(span.get("model_version").isNull()).isTrue();
    JsonNode attempts = span.get("attempts");
    assertThat(attempts.size()).isEqualTo(1);
    JsonNode a = attempts.get(0);
    assertThat(a.get("backend").asText()).isEqualTo(span.get("backend").asText());
    assertThat(a.get("status").asInt()).isEqualTo(200);
    assertThat(a.get("error").isNull()).isTrue();
    assertThat(a.get("duration_ms").isIntegralNumber()).isTrue();
    assertThat(a.get("duration_ms").asLong()).isGreaterThanOrEqualTo(0);
  }

  @Test
  void anUpstreamErrorStatusIsTheAttemptsError() throws Exception {
    assertThat(chat("busy", "busy").statusCode()).isEqualTo(503);
    JsonNode a = onlySpan("busy").get("attempts").get(0);
    assertThat(a.get("status").asInt()).isEqualTo(503);
    assertThat(a.get("error").asText()).isEqualTo("http_503");
  }

  @Test
  void anUnreachableBackendGivesAnAttemptWithoutStatus() throws Exception {
    assertThat(chat("dead", "dead").statusCode()).isEqualTo(502);
    JsonNode span = onlySpan("dead");
    JsonNode a = span.get("attempts").get(0);
    assertThat(a.get("backend").asText()).isEqualTo(span.get("backend").asText()).contains(":" + deadPort + "/");
    assertThat(a.get("status").isNull()).isTrue();
    assertThat(a.get("error").asText()).isEqualTo("upstream_unreachable");
  }

  @Test
  void aCallThatNeverReachedABackendHasNoAttemptsAndARewardHasNone() throws Exception {
    assertThat(chat("unknown", "no-such-model").statusCode()).isEqualTo(404);
    JsonNode span = onlySpan("unknown");
    assertThat(span.get("attempts").isArray()).isTrue();
    assertThat(span.get("attempts").size()).isZero();

    assertThat(gw.post("/api/rollouts/unknown/rewards", "{\"value\":1.0}").statusCode()).isEqualTo(201);
    JsonNode reward = spans("unknown").get(1);
    assertThat(reward.get("kind").asText()).isEqualTo("reward");
    assertThat(reward.get("attempts").isNull()).isTrue();
    assertThat(reward.get("model_version").isNull()).isTrue();
  }

  private static HttpResponse<String> chat(String rollout, String model) throws Exception {
    return gw.post("/rollout/" + rollout + "/attempt/1/v1/chat/completions",
        "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
  }

  private static JsonNode onlySpan(String rollout) throws Exception {
    JsonNode spans = spans(rollout);
    assertThat(spans.size()).isEqualTo(1);
    return spans.get(0);
  }

  private static JsonNode spans(String rollout) throws Exception {
    gw.awaitSpans(rollout, 1);
    HttpResponse<String> r = gw.get("/api/spans?rollout_id=" + rollout);
    assertThat(r.statusCode()).isEqualTo(200);
    return JSON.readTree(r.body()).get("spans");
  }
}
