package io.tracegate.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.models.ErrorType;
import com.anthropic.models.messages.MessageCreateParams;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.tracegate.config.BackendConfig;
import io.tracegate.config.StoreConfig;
import io.tracegate.testing.FakeOpenAiUpstream;
import io.tracegate.testing.TestGateway;
import io.tracegate.trace.Span;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Pause / resume for weight sync over real HTTP: {@code POST /api/pause} (hold, reject, some models),
 * {@code POST /api/resume} with a model version, {@code GET /api/state}. "Not reached the upstream" is checked
 * once the gate reports the request as held (a condition, polled with a generous deadline), never by waiting
 * a while.
 */
class PauseResumeTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long DEADLINE_SECONDS = 20;
  static FakeOpenAiUpstream upstream;
  static TestGateway gw;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @BeforeAll
  static void start() throws Exception {
    upstream = new FakeOpenAiUpstream();
    Map<String, BackendConfig> models = new LinkedHashMap<>();
    models.put("alpha", TestGateway.openAi(upstream.baseUrl(), "policy-alpha"));
    models.put("beta", TestGateway.openAi(upstream.baseUrl(), "policy-beta"));
    gw = TestGateway.start(TestGateway.config(StoreConfig.memory(), 1 << 20, models));
  }

  @AfterAll
  static void stop() throws Exception {
    gw.close();
    upstream.close();
  }

  @BeforeEach
  void openGate() throws Exception {
    assertThat(gw.post("/api/resume", "{\"model_version\":null}").statusCode()).isEqualTo(200);
    awaitState("nothing in flight or held", s -> s.get("in_flight").asInt() == 0 && s.get("held").asInt() == 0);
    while (upstream.pendingRequests() > 0) {
      upstream.takeRequest();
    }
  }

  @Test
  void aHeldRequestWaitsWithoutReachingTheUpstreamAndResumeReleasesItWithTheNewVersion() throws Exception {
    JsonNode paused = json(gw.post("/api/pause", ""));
    assertThat(paused.get("paused").asBoolean()).isTrue();
    assertThat(paused.get("mode").asText()).isEqualTo("hold");
    assertThat(paused.get("models").isNull()).isTrue();

    CompletableFuture<HttpResponse<String>> held = async("/rollout/held/attempt/1/v1/chat/completions",
        chat("alpha", "held", false));
    JsonNode state = awaitState("one request held", s -> s.get("held").asInt() == 1);
    assertThat(upstream.pendingRequests()).isZero();
    assertThat(upstream.activeRequests()).isZero();
    assertThat(held).isNotDone();
    assertThat(state.get("paused").asBoolean()).isTrue();
    assertThat(state.get("in_flight").asInt()).isZero();
    assertThat(metrics()).contains("tracegate_paused 1.0\n").contains("tracegate_pause_held_requests 1.0\n");

    JsonNode resumed = json(gw.post("/api/resume", "{\"model_version\":\"step-120\"}"));
    assertThat(resumed.get("paused").asBoolean()).isFalse();
    assertThat(resumed.get("mode").isNull()).isTrue();
    assertThat(resumed.get("model_version").asText()).isEqualTo("step-120");

    HttpResponse<String> answer = held.get(DEADLINE_SECONDS, TimeUnit.SECONDS);
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    assertThat(upstream.takeRequest().json().getJsonArray("messages").getJsonObject(0).getString("content"))
        .isEqualTo("held");
    Span span = gw.awaitSpans("held", 1).get(0);
    assertThat(span.status()).isEqualTo(Span.STATUS_OK);
    assertThat(span.modelVersion()).isEqualTo("step-120");
    assertThat(span.attempts()).hasSize(1);
    assertThat(span.attempts().get(0).status()).isEqualTo(200);
    JsonNode after = awaitState("the released request finished", s -> s.get("in_flight").asInt() == 0);
    assertThat(after.get("model_version").asText()).isEqualTo("step-120");
    assertThat(after.get("held").asInt()).isZero();
    assertThat(metrics()).contains("tracegate_paused 0.0\n").contains("tracegate_pause_held_requests 0.0\n");

    // the version stays for later calls until the next resume changes it
    assertThat(post("/rollout/later/attempt/1/v1/chat/completions", chat("beta", "later", false)).statusCode())
        .isEqualTo(200);
    assertThat(gw.awaitSpans("later", 1).get(0).modelVersion()).isEqualTo("step-120");
  }

  @Test
  void theXModelVersionHeaderWinsOverTheResumedVersionAndIsNotForwardedUpstream() throws Exception {
    gw.post("/api/resume", "{\"model_version\":\"step-7\"}");
    HttpResponse<String> own = post("/rollout/hdr/attempt/1/v1/chat/completions", chat("alpha", "own", false),
        "x-model-version", "run-3");
    assertThat(own.statusCode()).isEqualTo(200);
    FakeOpenAiUpstream.Received received = upstream.takeRequest();
    assertThat(received.headers().contains("x-model-version")).isFalse();
    assertThat(post("/rollout/hdr/attempt/1/v1/chat/completions", chat("alpha", "plain", false)).statusCode())
        .isEqualTo(200);

    // held, then released by a resume with another version: still the request's own
    gw.post("/api/pause", "{\"mode\":\"hold\"}");
    CompletableFuture<HttpResponse<String>> held = async("/rollout/hdr/attempt/1/v1/chat/completions",
        chat("alpha", "held own", false), "x-model-version", "run-4");
    awaitState("one request held", s -> s.get("held").asInt() == 1);
    gw.post("/api/resume", "{\"model_version\":\"step-8\"}");
    assertThat(held.get(DEADLINE_SECONDS, TimeUnit.SECONDS).statusCode()).isEqualTo(200);

    List<Span> spans = gw.awaitSpans("hdr", 3);
    assertThat(spans).extracting(Span::modelVersion).containsExactly("run-3", "step-7", "run-4");
  }

  @Test
  void rejectAnswers429WithRetryAfterInTheOpenAiAndTheAnthropicShape() throws Exception {
    long rejectedBefore = rejectedTotal();
    JsonNode paused = json(gw.post("/api/pause", "{\"mode\":\"reject\"}"));
    assertThat(paused.get("mode").asText()).isEqualTo("reject");

    OpenAIClient openAi = OpenAIOkHttpClient.builder().baseUrl(gw.url("/rollout/rej-oa/attempt/1/v1"))
        .apiKey("dummy").maxRetries(0).build();
    com.openai.errors.RateLimitException oa = catchThrowableOfType(com.openai.errors.RateLimitException.class,
        () -> openAi.chat().completions().create(ChatCompletionCreateParams.builder().model("alpha")
            .addUserMessage("hi").build()));
    assertThat(oa.statusCode()).isEqualTo(429);
    assertThat(oa.headers().values("retry-after")).containsExactly("5");
    assertThat(oa.code()).contains("gateway_paused");
    assertThat(oa.type()).contains("rate_limit_error");

    AnthropicClient anthropic = AnthropicOkHttpClient.builder().baseUrl(gw.url("/rollout/rej-an/attempt/1"))
        .apiKey("dummy").maxRetries(0).build();
    com.anthropic.errors.RateLimitException an = catchThrowableOfType(
        com.anthropic.errors.RateLimitException.class,
        () -> anthropic.messages().create(MessageCreateParams.builder().model("alpha").maxTokens(16)
            .addUserMessage("hi").build()));
    assertThat(an.statusCode()).isEqualTo(429);
    assertThat(an.headers().values("retry-after")).containsExactly("5");
    assertThat(an.type()).contains(ErrorType.RATE_LIMIT_ERROR);

    // the exact bodies, as raw HTTP sees them
    HttpResponse<String> rawOpenAi = post("/rollout/rej-raw/attempt/1/v1/chat/completions", chat("beta", "x", true));
    assertThat(rawOpenAi.statusCode()).isEqualTo(429);
    assertThat(rawOpenAi.headers().firstValue("retry-after")).contains("5");
    JsonNode error = JSON.readTree(rawOpenAi.body()).get("error");
    assertThat(error.get("type").asText()).isEqualTo("rate_limit_error");
    assertThat(error.get("code").asText()).isEqualTo("gateway_paused");
    assertThat(error.get("message").asText()).contains("paused");
    HttpResponse<String> rawAnthropic = post("/rollout/rej-raw/attempt/1/v1/messages",
        "{\"model\":\"beta\",\"max_tokens\":16,\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
    assertThat(rawAnthropic.statusCode()).isEqualTo(429);
    assertThat(rawAnthropic.headers().firstValue("retry-after")).contains("5");
    JsonNode anthropicBody = JSON.readTree(rawAnthropic.body());
    assertThat(anthropicBody.get("type").asText()).isEqualTo("error");
    assertThat(anthropicBody.get("error").get("type").asText()).isEqualTo("rate_limit_error");

    for (String rollout : List.of("rej-oa", "rej-an")) {
      Span span = gw.awaitSpans(rollout, 1).get(0);
      assertThat(span.status()).isEqualTo(Span.STATUS_ERROR);
      assertThat(span.attributes()).containsEntry("error.type", "gateway_paused");
      assertThat(String.valueOf(span.attributes().get("tracegate.http.status_code"))).isEqualTo("429");
      assertThat(span.attempts()).isEmpty();
    }
    assertThat(gw.awaitSpans("rej-raw", 2)).hasSize(2);
    assertThat(upstream.pendingRequests()).isZero();
    assertThat(rejectedTotal() - rejectedBefore).isEqualTo(4);
    assertThat(json(gw.get("/api/state")).get("held").asInt()).isZero();
  }

  @Test
  void aPauseForSomeModelsHoldsOnlyThoseNamesOrGlobs() throws Exception {
    JsonNode paused = json(gw.post("/api/pause", "{\"models\":[\"alpha\"]}"));
    assertThat(paused.get("models")).hasSize(1);
    assertThat(paused.get("models").get(0).asText()).isEqualTo("alpha");
    CompletableFuture<HttpResponse<String>> alpha = async("/rollout/some/attempt/1/v1/chat/completions",
        chat("alpha", "a", false));
    awaitState("alpha held", s -> s.get("held").asInt() == 1);
    assertThat(post("/rollout/some-beta/attempt/1/v1/chat/completions", chat("beta", "b", false)).statusCode())
        .isEqualTo(200);
    assertThat(alpha).isNotDone();
    assertThat(upstream.takeRequest().json().getString("model")).isEqualTo("policy-beta");
    assertThat(upstream.pendingRequests()).isZero();

    // a new pause replaces the first: a glob for beta only, so the held alpha request goes on
    gw.post("/api/pause", "{\"models\":[\"b*\"]}");
    assertThat(alpha.get(DEADLINE_SECONDS, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    CompletableFuture<HttpResponse<String>> beta = async("/rollout/some-beta/attempt/1/v1/chat/completions",
        chat("beta", "b2", false));
    awaitState("beta held", s -> s.get("held").asInt() == 1);
    gw.post("/api/resume", "");
    assertThat(beta.get(DEADLINE_SECONDS, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
  }

  @Test
  void aClientThatLeavesWhileHeldGetsACancelledSpanAndNothingReachesTheUpstream() throws Exception {
    gw.post("/api/pause", "");
    String body = chat("alpha", "gone", false);
    URI uri = URI.create(gw.url("/"));
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), uri.getPort())) {
      OutputStream out = socket.getOutputStream();
      out.write(("POST /rollout/gone/attempt/1/v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\n"
          + "Content-Type: application/json\r\nContent-Length: " + body.getBytes(StandardCharsets.UTF_8).length
          + "\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8));
      out.flush();
      awaitState("the request held", s -> s.get("held").asInt() == 1);
    }
    awaitState("the request no longer held", s -> s.get("held").asInt() == 0);
    Span span = gw.awaitSpans("gone", 1).get(0);
    assertThat(span.status()).isEqualTo(Span.STATUS_CANCELLED);
    assertThat(span.attributes()).containsEntry("error.type", "client_disconnected");
    assertThat(span.attempts()).isEmpty();

    gw.post("/api/resume", "");
    assertThat(post("/rollout/after/attempt/1/v1/chat/completions", chat("alpha", "after", false)).statusCode())
        .isEqualTo(200);
    assertThat(upstream.takeRequest().json().getJsonArray("messages").getJsonObject(0).getString("content"))
        .isEqualTo("after");
    assertThat(upstream.pendingRequests()).isZero();
  }

  @Test
  void inFlightCountsStreamsThatPassedTheGateAndDropsToZeroAsTheyFinish() throws Exception {
    upstream.gateAfterFirstChunk();
    CompletableFuture<HttpResponse<String>> s1 = async("/rollout/drain/attempt/1/v1/chat/completions",
        chat("alpha", "one", true));
    CompletableFuture<HttpResponse<String>> s2 = async("/rollout/drain/attempt/1/v1/chat/completions",
        chat("beta", "two", true));
    awaitCondition("both streams at the upstream", () -> upstream.activeRequests() == 2);
    assertThat(json(gw.get("/api/state")).get("in_flight").asInt()).isEqualTo(2);

    JsonNode paused = json(gw.post("/api/pause", ""));
    assertThat(paused.get("in_flight").asInt()).isEqualTo(2);
    CompletableFuture<HttpResponse<String>> third = async("/rollout/drain/attempt/1/v1/chat/completions",
        chat("alpha", "three", true));
    awaitState("the new request held", s -> s.get("held").asInt() == 1);
    assertThat(json(gw.get("/api/state")).get("in_flight").asInt()).isEqualTo(2);

    upstream.releaseGate();
    JsonNode drained = awaitState("in-flight streams finished", s -> s.get("in_flight").asInt() == 0);
    assertThat(drained.get("held").asInt()).isEqualTo(1);
    assertThat(drained.get("paused").asBoolean()).isTrue();
    for (CompletableFuture<HttpResponse<String>> s : List.of(s1, s2)) {
      HttpResponse<String> r = s.get(DEADLINE_SECONDS, TimeUnit.SECONDS);
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).contains(FakeOpenAiUpstream.ANSWER_PIECES.get(4)).contains("[DONE]");
    }
    assertThat(third).isNotDone();

    gw.post("/api/resume", "{\"model_version\":\"step-2\"}");
    assertThat(third.get(DEADLINE_SECONDS, TimeUnit.SECONDS).body()).contains("[DONE]");
    awaitState("all finished", s -> s.get("in_flight").asInt() == 0 && s.get("held").asInt() == 0);
    List<Span> spans = gw.awaitSpans("drain", 3);
    assertThat(spans).extracting(Span::modelVersion).containsExactlyInAnyOrder(null, null, "step-2");
  }

  @Test
  void badBodiesAre400sInJsonAndChangeNothing() throws Exception {
    for (String[] bad : new String[][] {
        {"/api/pause", "{\"mode\":\"sleep\"}", "'mode'"},
        {"/api/pause", "{\"mode\":1}", "'mode'"},
        {"/api/pause", "{\"models\":[]}", "'models'"},
        {"/api/pause", "{\"models\":\"alpha\"}", "'models'"},
        {"/api/pause", "{\"models\":[\"\"]}", "'models'"},
        {"/api/pause", "{\"mode\":\"hold\",\"for\":10}", "unknown field 'for'"},
        {"/api/pause", "[1]", "JSON object"},
        {"/api/pause", "{not json", "not valid JSON"},
        {"/api/resume", "{\"model_version\":5}", "'model_version'"},
        {"/api/resume", "{\"model_version\":\"\"}", "'model_version'"},
        {"/api/resume", "{\"version\":\"x\"}", "unknown field 'version'"}}) {
      HttpResponse<String> r = gw.post(bad[0], bad[1]);
      assertThat(r.statusCode()).as(bad[1]).isEqualTo(400);
      assertThat(r.headers().firstValue("content-type")).contains("application/json");
      assertThat(JSON.readTree(r.body()).get("error").get("message").asText()).as(bad[1]).contains(bad[2]);
    }
    JsonNode state = json(gw.get("/api/state"));
    assertThat(state.get("paused").asBoolean()).isFalse();
    assertThat(state.get("model_version").isNull()).isTrue();
  }

  private long rejectedTotal() throws Exception {
    for (String line : metrics().split("\n")) {
      if (line.startsWith("tracegate_pause_rejected_total ")) {
        return (long) Double.parseDouble(line.substring(line.indexOf(' ') + 1).trim());
      }
    }
    throw new AssertionError("no tracegate_pause_rejected_total in /metrics");
  }

  private static String metrics() throws Exception {
    return gw.get("/metrics").body();
  }

  static String chat(String model, String content, boolean stream) {
    return "{\"model\":\"" + model + "\",\"stream\":" + stream + ",\"messages\":[{\"role\":\"user\",\"content\":\""
        + content + "\"}]}";
  }

  private HttpResponse<String> post(String path, String body, String... headers) throws Exception {
    return async(path, body, headers).get(DEADLINE_SECONDS, TimeUnit.SECONDS);
  }

  private CompletableFuture<HttpResponse<String>> async(String path, String body, String... headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gw.url(path))).timeout(Duration.ofSeconds(60))
        .POST(HttpRequest.BodyPublishers.ofString(body)).header("content-type", "application/json");
    for (int i = 0; i + 1 < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return http.sendAsync(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode json(HttpResponse<String> r) throws Exception {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  static JsonNode awaitState(String what, Predicate<JsonNode> condition) throws Exception {
    return awaitState(gw, what, condition);
  }

  /** Polls {@code GET /api/state} until {@code condition} holds (generous deadline); returns that state. */
  static JsonNode awaitState(TestGateway gateway, String what, Predicate<JsonNode> condition) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(DEADLINE_SECONDS);
    JsonNode s;
    while (!condition.test(s = JSON.readTree(gateway.get("/api/state").body()))) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("waited " + DEADLINE_SECONDS + " s for " + what + "; state is " + s);
      }
      TimeUnit.MILLISECONDS.sleep(10);
    }
    return s;
  }

  private static void awaitCondition(String what, java.util.function.BooleanSupplier condition) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(DEADLINE_SECONDS);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("waited " + DEADLINE_SECONDS + " s for " + what);
      }
      TimeUnit.MILLISECONDS.sleep(10);
    }
  }
}
