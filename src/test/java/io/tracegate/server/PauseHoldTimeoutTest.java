package io.tracegate.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracegate.config.ConfigLoader;
import io.tracegate.config.GatewayConfig;
import io.tracegate.testing.FakeOpenAiUpstream;
import io.tracegate.testing.TestGateway;
import io.tracegate.trace.Span;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pause.hold_timeout} bounds a hold: a request held longer gets 503 with {@code retry-after} (from
 * {@code pause.retry_after}) in its protocol's shape, and its span says why. Configured in YAML as a user would.
 */
class PauseHoldTimeoutTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;

  @Test
  void aRequestHeldLongerThanTheBoundIsAnswered503WithRetryAfterAndItsSpanSaysWhy() throws Exception {
    try (FakeOpenAiUpstream upstream = new FakeOpenAiUpstream()) {
      Path file = dir.resolve("tracegate.yaml");
      Files.writeString(file, String.join("\n",
          "server: { host: 127.0.0.1, port: 0 }",
          "store: { kind: sqlite, path: " + dir.resolve("spans.db") + " }",
          "pause: { hold_timeout: 1s, retry_after: 2s }",
          "models:",
          "  - name: policy",
          "    backends:",
          "      - { provider: openai, base_url: \"" + upstream.baseUrl() + "\", model: p }",
          ""));
      GatewayConfig config = ConfigLoader.load(file, Map.of());
      try (TestGateway gw = TestGateway.start(config)) {
        assertThat(gw.post("/api/pause", "{\"mode\":\"hold\"}").statusCode()).isEqualTo(200);

        HttpResponse<String> openAi = gw.post("/rollout/late/attempt/1/v1/chat/completions",
            PauseResumeTest.chat("policy", "hi", false));
        assertThat(openAi.statusCode()).as(openAi.body()).isEqualTo(503);
        assertThat(openAi.headers().firstValue("retry-after")).contains("2");
        JsonNode error = JSON.readTree(openAi.body()).get("error");
        assertThat(error.get("code").asText()).isEqualTo("pause_hold_timeout");
        assertThat(error.get("message").asText()).contains("pause.hold_timeout");

        HttpResponse<String> anthropic = gw.post("/rollout/late/attempt/1/v1/messages",
            "{\"model\":\"policy\",\"max_tokens\":8,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertThat(anthropic.statusCode()).isEqualTo(503);
        assertThat(anthropic.headers().firstValue("retry-after")).contains("2");
        assertThat(JSON.readTree(anthropic.body()).get("error").get("type").asText()).isEqualTo("overloaded_error");

        for (Span span : gw.awaitSpans("late", 2)) {
          assertThat(span.status()).isEqualTo(Span.STATUS_ERROR);
          assertThat(span.statusMessage()).contains("held").contains("pause.hold_timeout (1 s)");
          assertThat(span.attributes()).containsEntry("error.type", "pause_hold_timeout");
          assertThat(span.attempts()).isEmpty();
        }
        assertThat(upstream.pendingRequests()).isZero();
        JsonNode state = JSON.readTree(gw.get("/api/state").body());
        assertThat(state.get("held").asInt()).isZero();
        assertThat(state.get("paused").asBoolean()).isTrue();
      }
    }
  }
}
