package io.tracegate.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracegate.config.BackendConfig;
import io.tracegate.config.HealthConfig;
import io.tracegate.config.ModelConfig;
import io.tracegate.config.Provider;
import io.tracegate.config.RetryConfig;
import io.tracegate.config.RoutingStrategy;
import io.tracegate.config.StoreConfig;
import io.tracegate.testing.RawHttp;
import io.tracegate.testing.ScriptedUpstream;
import io.tracegate.testing.TestGateway;
import io.tracegate.trace.Span;
import io.tracegate.trace.UpstreamAttempt;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Fallback to the next backend, passive health (cooldown, one probe, recovery) and failing open, over real
 * HTTP with fake upstreams failing on script; what {@code GET /api/backends} and {@code /metrics} say about it.
 */
class FallbackHealthTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CHAT = "/v1/chat/completions";
  private static final String ANSWER = "The capital of France is Paris.";
  static ScriptedUpstream a;
  static ScriptedUpstream b;
  static ScriptedUpstream anthropic;
  static ScriptedUpstream openai;
  static ScriptedUpstream c;
  static ScriptedUpstream d;
  static TestGateway gw;

  @BeforeAll
  static void start() throws Exception {
    a = new ScriptedUpstream();
    b = new ScriptedUpstream();
    anthropic = new ScriptedUpstream();
    openai = new ScriptedUpstream();
    c = new ScriptedUpstream();
    d = new ScriptedUpstream();
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    HealthConfig threeFailures = new HealthConfig(3, Duration.ofSeconds(3));
    BackendConfig anthropicBackend = new BackendConfig("a-anthropic", Provider.ANTHROPIC, anthropic.anthropicBaseUrl(),
        "claude-backend", TestGateway.openAi("http://x", null).apiKey(), java.util.Set.of(), Duration.ofSeconds(2),
        Duration.ofSeconds(5), Duration.ofSeconds(5));
    gw = TestGateway.start(TestGateway.config(StoreConfig.memory(), List.of(
        new ModelConfig("fb", List.of(openAi(a, "a"), openAi(b, "b")), RoutingStrategy.FALLBACK,
            RetryConfig.DEFAULT, threeFailures),
        new ModelConfig("fb-dead", List.of(TestGateway.openAi("http://127.0.0.1:" + closedPort + "/v1", "m")
            .named("dead", 1), openAi(b, "b2"))),
        new ModelConfig("claude-x", List.of(anthropicBackend, openAi(openai, "b-openai"))),
        new ModelConfig("all-down", List.of(openAi(c, "c"), openAi(d, "d")), RoutingStrategy.FALLBACK,
            RetryConfig.DEFAULT, new HealthConfig(1, Duration.ofSeconds(60))))));
  }

  private static BackendConfig openAi(ScriptedUpstream u, String name) {
    return TestGateway.openAi(u.openAiBaseUrl(), "backend-model").named(name, 1);
  }

  @AfterAll
  static void stop() throws Exception {
    gw.close();
    for (ScriptedUpstream u : List.of(a, b, anthropic, openai, c, d)) {
      u.close();
    }
  }

  private static String chat(String model) {
    return "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
  }

  private static Span onlySpan(String rollout) throws Exception {
    List<Span> spans = gw.awaitSpans(rollout, 1);
    assertThat(spans).hasSize(1);
    return spans.get(0);
  }

  private static void awaitCooldownOver(String model, String backend) throws InterruptedException {
    RawHttp.await("the cooldown of " + backend + " to be over", 20, () -> {
      try {
        return gw.backendStatus(model, backend).getLong("cooldown_remaining_ms") == 0;
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
  }

  @Test
  void aFailingBackendIsCooledDownThenProbedAndRecovers() throws Exception {
    a.failWith(500, "{\"error\":{\"message\":\"a is broken\"}}");
    long fallbacksBefore = gw.metric("tracegate_upstream_fallbacks_total");
    int bBefore = b.hits(); // b also serves model fb-dead
    for (int i = 1; i <= 3; i++) {
      HttpResponse<String> r = gw.post(CHAT, chat("fb"), "x-rollout-id", "fb-" + i);
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(onlySpan("fb-" + i).backend()).isEqualTo("b");
      assertThat(onlySpan("fb-" + i).attempts()).extracting(UpstreamAttempt::backend).containsExactly("a", "b");
    }
    assertThat(a.hits()).isEqualTo(3);
    assertThat(b.hits() - bBefore).isEqualTo(3);
    assertThat(gw.backendStatus("fb", "a").getString("state")).isEqualTo("cooldown");
    assertThat(gw.backendStatus("fb", "b").getString("state")).isEqualTo("healthy");
    assertThat(gw.backendStatus("fb", "a").getJsonObject("recent").getLong("errors")).isEqualTo(3);
    assertThat(gw.metric("tracegate_backends_in_cooldown")).isGreaterThanOrEqualTo(1);
    assertThat(gw.metric("tracegate_upstream_fallbacks_total") - fallbacksBefore).isEqualTo(3);

    // cooling down: skipped, B answers without A being tried
    assertThat(gw.post(CHAT, chat("fb")).statusCode()).isEqualTo(200);
    assertThat(a.hits()).isEqualTo(3);
    assertThat(b.hits() - bBefore).isEqualTo(4);

    // cooldown over: one probe goes to A, fails, A cools down again, B answers
    awaitCooldownOver("fb", "a");
    HttpResponse<String> probed = gw.post(CHAT, chat("fb"), "x-rollout-id", "fb-probe");
    assertThat(probed.statusCode()).isEqualTo(200);
    Span probeSpan = onlySpan("fb-probe");
    assertThat(probeSpan.backend()).isEqualTo("b");
    assertThat(probeSpan.attempts()).extracting(UpstreamAttempt::backend).containsExactly("a", "b");
    assertThat(probeSpan.attempts()).extracting(UpstreamAttempt::status).containsExactly(500, 200);
    assertThat(probeSpan.attempts()).extracting(UpstreamAttempt::error).containsExactly("http_500", null);
    assertThat(a.hits()).isEqualTo(4);
    assertThat(gw.backendStatus("fb", "a").getString("state")).isEqualTo("cooldown");
    assertThat(gw.backendStatus("fb", "a").getLong("cooldowns")).isEqualTo(2);

    // A recovers: the next probe succeeds and A is healthy (and first) again
    a.failWith(0, null);
    awaitCooldownOver("fb", "a");
    HttpResponse<String> recovered = gw.post(CHAT, chat("fb"), "x-rollout-id", "fb-recovered");
    assertThat(recovered.statusCode()).isEqualTo(200);
    assertThat(onlySpan("fb-recovered").backend()).isEqualTo("a");
    assertThat(gw.backendStatus("fb", "a").getString("state")).isEqualTo("healthy");
    assertThat(gw.backendStatus("fb", "a").getInteger("in_flight")).isZero();
  }

  @Test
  void anUnreachableBackendFallsBackToTheNext() throws Exception {
    HttpResponse<String> r = gw.post(CHAT, chat("fb-dead"), "x-rollout-id", "fb-dead");

    assertThat(r.statusCode()).isEqualTo(200);
    Span s = onlySpan("fb-dead");
    assertThat(s.status()).isEqualTo("ok");
    assertThat(s.backend()).isEqualTo("b2");
    assertThat(s.attempts()).extracting(UpstreamAttempt::backend).containsExactly("dead", "b2");
    assertThat(s.attempts()).extracting(UpstreamAttempt::error).containsExactly("upstream_unreachable", null);
    assertThat(s.attempts().get(0).status()).isNull();
  }

  @Test
  void anAnthropicClientFallsBackFromAnAnthropicBackendToATranslatedOpenAiOne() throws Exception {
    anthropic.failWith(529, "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"busy\"}}");
    String body = "{\"model\":\"claude-x\",\"max_tokens\":100,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    HttpResponse<String> r = gw.post("/v1/messages", body, "x-rollout-id", "fb-translated");

    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode message = JSON.readTree(r.body());
    assertThat(message.path("type").asText()).isEqualTo("message");
    assertThat(message.path("content").path(0).path("text").asText()).isEqualTo(ANSWER);
    Span s = onlySpan("fb-translated");
    assertThat(s.backend()).isEqualTo("b-openai");
    assertThat(s.provider()).isEqualTo("openai");
    assertThat(s.attempts()).extracting(UpstreamAttempt::backend).containsExactly("a-anthropic", "b-openai");
    assertThat(s.attempts()).extracting(UpstreamAttempt::status).containsExactly(529, 200);
    assertThat(s.upstreamRequest().path("messages").path(0).path("role").asText()).isEqualTo("user");
    assertThat(anthropic.takeRequest().path()).startsWith("/v1/messages");
    assertThat(openai.takeRequest().path()).isEqualTo("/v1/chat/completions");

    HttpResponse<String> stream = gw.post("/v1/messages", body.replace("{\"model\"", "{\"stream\":true,\"model\""),
        "x-rollout-id", "fb-translated-stream");
    assertThat(stream.statusCode()).isEqualTo(200);
    assertThat(stream.body()).contains("event: message_start").contains("text_delta")
        .contains("event: message_stop");
    assertThat(onlySpan("fb-translated-stream").backend()).isEqualTo("b-openai");
  }

  @Test
  void whenEveryBackendIsCoolingDownRequestsAreStillTried() throws Exception {
    String busy = "{\"error\":{\"message\":\"busy upstream\"}}";
    c.failWith(503, busy);
    d.failWith(503, busy);
    HttpResponse<String> first = gw.post(CHAT, chat("all-down"));
    assertThat(first.statusCode()).isEqualTo(503);
    assertThat(gw.backendStatus("all-down", "c").getString("state")).isEqualTo("cooldown");
    assertThat(gw.backendStatus("all-down", "d").getString("state")).isEqualTo("cooldown");
    int hits = c.hits() + d.hits();
    assertThat(hits).isEqualTo(3);

    HttpResponse<String> second = gw.post(CHAT, chat("all-down"));

    // fail open: not refused by the gateway, the backends were tried and the last answer is the client's
    assertThat(second.statusCode()).isEqualTo(503);
    assertThat(second.body()).contains("busy upstream");
    assertThat(c.hits() + d.hits()).isEqualTo(hits + 3);
  }
}
