package io.tracegate.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracegate.config.BackendConfig;
import io.tracegate.config.SecretRef;
import io.tracegate.config.StoreConfig;
import io.tracegate.testing.FakeOpenAiUpstream;
import io.tracegate.testing.TestGateway;
import io.tracegate.trace.Span;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every failure gets OpenAI's error shape, the right status, and exactly one span saying what happened. */
class ProxyErrorsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CHAT = "/v1/chat/completions";
  static FakeOpenAiUpstream upstream;
  static TestGateway gw;
  static int closedPort;

  @BeforeAll
  static void start() throws Exception {
    upstream = new FakeOpenAiUpstream();
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    BackendConfig ok = TestGateway.openAi(upstream.baseUrl(), "backend-model");
    Map<String, BackendConfig> models = new LinkedHashMap<>();
    models.put("gpt-test", ok);
    models.put("slow-model", TestGateway.withTimeouts(ok, Duration.ofMillis(300)));
    models.put("patient-model", TestGateway.withTimeouts(ok, Duration.ofMillis(900), Duration.ofMillis(100)));
    models.put("keyless", TestGateway.withKey(ok, new SecretRef("TRACEGATE_UNSET_KEY_VAR", null)));
    models.put("dead", TestGateway.openAi("http://127.0.0.1:" + closedPort + "/v1", null));
    gw = TestGateway.start(TestGateway.config(StoreConfig.memory(), 4096, models));
  }

  @AfterAll
  static void stop() throws Exception {
    gw.close();
    upstream.close();
  }

  @AfterEach
  void reset() {
    upstream.mode(FakeOpenAiUpstream.Mode.NORMAL);
  }

  private static String chat(String model) {
    return "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
  }

  /** A retryable failure is tried 3 times (retries.max: 2 by default); the client gets the last answer. */
  private static void takeRetried() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      upstream.takeRequest();
    }
    assertThat(upstream.pendingRequests()).isZero();
  }

  private static JsonNode assertOpenAiError(HttpResponse<String> r, int status) throws Exception {
    assertThat(r.statusCode()).isEqualTo(status);
    JsonNode error = JSON.readTree(r.body()).path("error");
    assertThat(error.path("message").isTextual()).isTrue();
    assertThat(error.has("type")).isTrue();
    assertThat(error.has("code")).isTrue();
    return error;
  }

  private static Span onlySpan(String rollout) throws Exception {
    List<Span> spans = gw.spans(rollout);
    assertThat(spans).hasSize(1);
    return spans.get(0);
  }

  @Test
  void malformedJsonIs400() throws Exception {
    JsonNode e = assertOpenAiError(gw.post(CHAT, "{\"model\": \"gpt-test\", ", "x-rollout-id", "e-json"), 400);
    assertThat(e.path("message").asText()).contains("not valid JSON");
    Span s = onlySpan("e-json");
    assertThat(s.status()).isEqualTo("error");
    assertThat(s.attributes()).containsEntry("tracegate.http.status_code", 400);
    assertThat(s.request().isTextual()).isTrue();
  }

  @Test
  void missingModelIs400() throws Exception {
    JsonNode e = assertOpenAiError(gw.post(CHAT, "{\"messages\":[]}", "x-rollout-id", "e-nomodel"), 400);
    assertThat(e.path("message").asText()).contains("model");
    assertThat(onlySpan("e-nomodel").status()).isEqualTo("error");
  }

  @Test
  void unknownModelIs404AndListsKnownNames() throws Exception {
    JsonNode e = assertOpenAiError(gw.post(CHAT, chat("nope"), "x-rollout-id", "e-unknown"), 404);
    assertThat(e.path("code").asText()).isEqualTo("model_not_found");
    assertThat(e.path("message").asText()).contains("nope").contains("gpt-test").contains("slow-model");
    Span s = onlySpan("e-unknown");
    assertThat(s.frontendModel()).isEqualTo("nope");
    assertThat(s.statusMessage()).contains("not configured");
  }

  @Test
  void missingBackendKeyIs503NamingTheVariable() throws Exception {
    JsonNode e = assertOpenAiError(gw.post(CHAT, chat("keyless"), "x-rollout-id", "e-key"), 503);
    assertThat(e.path("message").asText()).contains("TRACEGATE_UNSET_KEY_VAR");
    assertThat(onlySpan("e-key").statusMessage()).contains("TRACEGATE_UNSET_KEY_VAR");
    assertThat(upstream.pendingRequests()).isZero();
  }

  @Test
  void unreachableUpstreamIs502() throws Exception {
    JsonNode e = assertOpenAiError(gw.post(CHAT, chat("dead"), "x-rollout-id", "e-dead"), 502);
    assertThat(e.path("code").asText()).isEqualTo("upstream_unreachable");
    assertThat(onlySpan("e-dead").status()).isEqualTo("error");
  }

  @Test
  void upstreamTimeoutIs504() throws Exception {
    upstream.mode(FakeOpenAiUpstream.Mode.HANG);
    JsonNode e = assertOpenAiError(gw.post(CHAT, chat("slow-model"), "x-rollout-id", "e-slow"), 504);
    assertThat(e.path("code").asText()).isEqualTo("upstream_timeout");
    takeRetried(); // a timeout before the headers is retried
    Span s = onlySpan("e-slow");
    assertThat(s.statusMessage()).contains("timed out");
  }

  @Test
  void theResponseTimeoutHoldsWhenTheIdleTimeoutIsShorter() throws Exception {
    upstream.mode(FakeOpenAiUpstream.Mode.HANG);
    long start = System.nanoTime();
    JsonNode e = assertOpenAiError(gw.post(CHAT, chat("patient-model"), "x-rollout-id", "e-patient"), 504);
    long waitedMillis = (System.nanoTime() - start) / 1_000_000;
    assertThat(e.path("code").asText()).isEqualTo("upstream_timeout");
    assertThat(waitedMillis).as("waited for the 900 ms response limit, not the 100 ms idle one").isGreaterThanOrEqualTo(900);
    takeRetried();
    assertThat(onlySpan("e-patient").statusMessage()).contains("no response within 900 ms");
  }

  @Test
  void upstreamSilentMidStreamIsCutWithAnErrorFrame() throws Exception {
    upstream.gateAfterFirstChunk();
    try {
      HttpResponse<String> r = gw.post(CHAT, "{\"model\":\"slow-model\",\"stream\":true,\"messages\":[]}",
          "x-rollout-id", "e-idle");
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).contains("\"role\":\"assistant\"").contains("\"upstream_timeout\"")
          .doesNotContain("[DONE]");
      upstream.takeRequest();
      Span s = onlySpan("e-idle");
      assertThat(s.status()).isEqualTo("error");
      assertThat(s.statusMessage()).contains("timed out");
    } finally {
      upstream.releaseGate();
    }
  }

  @Test
  void upstreamErrorStatusAndBodyPassThrough() throws Exception {
    String body = "{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"rate_limit_error\",\"code\":\"rate_limit\"}}";
    upstream.error(429, body);
    HttpResponse<String> r = gw.post(CHAT, chat("gpt-test"), "x-rollout-id", "e-429");
    assertThat(r.statusCode()).isEqualTo(429);
    assertThat(r.body()).isEqualTo(body);
    takeRetried();
    Span s = onlySpan("e-429");
    assertThat(s.status()).isEqualTo("error");
    assertThat(s.attributes()).containsEntry("tracegate.upstream.status_code", 429);
    assertThat(s.response().path("error").path("code").asText()).isEqualTo("rate_limit");
  }

  @Test
  void upstream500StreamRequestPassesThrough() throws Exception {
    upstream.error(500, "{\"error\":{\"message\":\"boom\"}}");
    HttpResponse<String> r = gw.post(CHAT,
        "{\"model\":\"gpt-test\",\"stream\":true,\"messages\":[]}", "x-rollout-id", "e-500");
    assertThat(r.statusCode()).isEqualTo(500);
    assertThat(r.body()).contains("boom");
    takeRetried();
    assertThat(onlySpan("e-500").statusMessage()).contains("500");
  }

  @Test
  void bodyOverLimitIs413() throws Exception {
    String big = "{\"model\":\"gpt-test\",\"messages\":[{\"role\":\"user\",\"content\":\"" + "x".repeat(8000) + "\"}]}";
    JsonNode e = assertOpenAiError(gw.post(CHAT, big, "x-rollout-id", "e-413"), 413);
    assertThat(e.path("code").asText()).isEqualTo("request_too_large");
    assertThat(onlySpan("e-413").attributes()).containsEntry("tracegate.http.status_code", 413);
    assertThat(upstream.pendingRequests()).isZero();
  }

  @Test
  void clientDisconnectMidStreamIsRecordedAsCancelled() throws Exception {
    upstream.gateAfterFirstChunk();
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    HttpRequest req = HttpRequest.newBuilder(URI.create(gw.url("/rollout/e-cancel/attempt/a" + CHAT)))
        .header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(
            "{\"model\":\"gpt-test\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
        .build();
    HttpResponse<InputStream> response = client.send(req, HttpResponse.BodyHandlers.ofInputStream());
    InputStream in = response.body();
    assertThat(in.read()).isEqualTo('d');
    in.close();
    upstream.takeRequest();
    Span s = gw.awaitSpans("e-cancel", 1).get(0);
    assertThat(s.status()).as(s.statusMessage()).isEqualTo("cancelled");
    assertThat(s.statusMessage()).contains("client disconnected");
    upstream.releaseGate();
  }

  @Test
  void unknownRouteIs404InOpenAiShape() throws Exception {
    assertOpenAiError(gw.get("/v1/nothing-here"), 404);
  }
}
