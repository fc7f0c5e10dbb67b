package io.tracegate.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracegate.config.BackendConfig;
import io.tracegate.config.ModelConfig;
import io.tracegate.config.Provider;
import io.tracegate.config.SecretRef;
import io.tracegate.config.StoreConfig;
import io.tracegate.testing.ScriptedUpstream;
import io.tracegate.testing.TestGateway;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code count_tokens} goes to a model's Anthropic backend that can answer (not the first backend whatever it
 * is), and a count the backend cannot give is estimated instead of failing the agent.
 */
class CountTokensRoutingTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PATH = "/v1/messages/count_tokens";
  static ScriptedUpstream anthropic;
  static TestGateway gw;

  @BeforeAll
  static void start() throws Exception {
    anthropic = new ScriptedUpstream();
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    BackendConfig live = anthropicBackend("live", anthropic.anthropicBaseUrl(), TestGateway.openAi("http://x", null)
        .apiKey());
    BackendConfig unkeyed = anthropicBackend("unkeyed", anthropic.anthropicBaseUrl(),
        new SecretRef("TRACEGATE_TEST_NEVER_SET_KEY", null));
    BackendConfig dead = anthropicBackend("dead", "http://127.0.0.1:" + closedPort, live.apiKey());
    BackendConfig openAi = TestGateway.openAi(anthropic.openAiBaseUrl(), "qwen").named("openai-first", 1);
    gw = TestGateway.start(TestGateway.config(StoreConfig.memory(), List.of(
        new ModelConfig("openai-then-anthropic", List.of(openAi, live)),
        new ModelConfig("unkeyed-then-live", List.of(unkeyed, live.named("live-2", 1))),
        new ModelConfig("dead-only", List.of(dead)))));
  }

  private static BackendConfig anthropicBackend(String name, String baseUrl, SecretRef key) {
    return new BackendConfig(name, Provider.ANTHROPIC, baseUrl, "claude-backend", key, Set.of(),
        Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(5));
  }

  @AfterAll
  static void stop() throws Exception {
    gw.close();
    anthropic.close();
  }

  private static String body(String model) {
    return "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"How many tokens is this?\"}]}";
  }

  @Test
  void theModelsAnthropicBackendCountsEvenWhenItIsNotListedFirst() throws Exception {
    anthropic.failWith(200, "{\"input_tokens\":17}");
    HttpResponse<String> r = gw.post(PATH, body("openai-then-anthropic"));

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.headers().firstValue(CountTokensHandler.ESTIMATE_HEADER)).isEmpty();
    assertThat(JSON.readTree(r.body()).path("input_tokens").asInt()).isEqualTo(17);
    ScriptedUpstream.Received sent = anthropic.takeRequest();
    assertThat(sent.path()).endsWith(PATH);
    assertThat(sent.body().getString("model")).isEqualTo("claude-backend");
  }

  @Test
  void aBackendWithoutItsKeyIsPassedOver() throws Exception {
    anthropic.failWith(200, "{\"input_tokens\":9}");
    HttpResponse<String> r = gw.post(PATH, body("unkeyed-then-live"));

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(JSON.readTree(r.body()).path("input_tokens").asInt()).isEqualTo(9);
    assertThat(JSON.readTree(r.body()).has("estimated")).isFalse();
  }

  @Test
  void anUnreachableBackendGivesAnEstimateSaidToBeOne() throws Exception {
    HttpResponse<String> r = gw.post(PATH, body("dead-only"));

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.headers().firstValue(CountTokensHandler.ESTIMATE_HEADER)).hasValue("estimate");
    assertThat(JSON.readTree(r.body()).path("estimated").asBoolean()).isTrue();
    assertThat(JSON.readTree(r.body()).path("input_tokens").asInt()).isBetween(3, 30);
  }
}
