package io.tracegate.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import io.tracegate.config.StoreConfig;
import io.tracegate.testing.FakeOpenAiUpstream;
import io.tracegate.testing.TestGateway;
import io.tracegate.trace.Span;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The official openai-java SDK through the gateway to a fake OpenAI-compatible upstream, SQLite store. */
class OpenAiProxyTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir static Path dir;
  static FakeOpenAiUpstream upstream;
  static TestGateway gw;

  @BeforeAll
  static void start() throws Exception {
    upstream = new FakeOpenAiUpstream();
    gw = TestGateway.start(TestGateway.config(StoreConfig.sqlite(dir.resolve("spans.db").toString()), 1 << 20,
        Map.of("gpt-test", TestGateway.openAi(upstream.baseUrl(), "backend-model"))));
  }

  @AfterAll
  static void stop() throws Exception {
    gw.close();
    upstream.close();
  }

  private static OpenAIClient sdk(String rollout, String attempt) {
    return OpenAIOkHttpClient.builder()
        .baseUrl(gw.url("/rollout/" + rollout + "/attempt/" + attempt + "/v1"))
        .apiKey("client-key-not-for-upstream")
        .maxRetries(0)
        .build();
  }

  @Test
  void syncChatThroughSdkIsRecordedAsOneSpan() throws Exception {
    ChatCompletion completion = sdk("sync-r", "a1").chat().completions().create(ChatCompletionCreateParams.builder()
        .model("gpt-test").addUserMessage("Say hello").maxCompletionTokens(64).build());

    assertThat(completion.choices().get(0).message().content()).contains(FakeOpenAiUpstream.ANSWER);
    FakeOpenAiUpstream.Received sent = upstream.takeRequest();
    assertThat(sent.json().getString("model")).isEqualTo("backend-model");
    assertThat(sent.headers().get("authorization")).isEqualTo("Bearer " + TestGateway.TEST_KEY);
    assertThat(sent.json().containsKey("stream_options")).isFalse();

    List<Span> spans = gw.spans("sync-r");
    assertThat(spans).hasSize(1);
    Span s = spans.get(0);
    assertThat(s.kind()).isEqualTo("llm");
    assertThat(s.status()).isEqualTo("ok");
    assertThat(s.rolloutId()).isEqualTo("sync-r");
    assertThat(s.attemptId()).isEqualTo("a1");
    assertThat(s.sequenceId()).isEqualTo(1L);
    assertThat(s.name()).isEqualTo("chat gpt-test");
    assertThat(s.frontendProtocol()).isEqualTo("openai");
    assertThat(s.frontendModel()).isEqualTo("gpt-test");
    assertThat(s.backendModel()).isEqualTo("backend-model");
    assertThat(s.provider()).isEqualTo("openai");
    assertThat(s.usage().inputTokens()).isEqualTo(12L);
    assertThat(s.usage().cacheReadInputTokens()).isEqualTo(4L);
    assertThat(s.usage().outputTokens()).isEqualTo(5L);
    assertThat(s.request().path("messages").get(0).path("content").asText()).isEqualTo("Say hello");
    assertThat(s.upstreamRequest().path("model").asText()).isEqualTo("backend-model");
    assertThat(s.response().path("choices").get(0).path("message").path("content").asText())
        .isEqualTo(FakeOpenAiUpstream.ANSWER);
    assertThat(s.endTimeUnixNano()).isGreaterThanOrEqualTo(s.startTimeUnixNano());
    assertThat(s.spanId()).hasSize(16);
    assertThat(s.traceId()).hasSize(32);
    assertThat(s.attributes()).containsEntry("gen_ai.operation.name", "chat")
        .containsEntry("gen_ai.request.model", "gpt-test")
        .containsEntry("gen_ai.response.model", "backend-model");
    String stored = JSON.writeValueAsString(s);
    assertThat(stored).doesNotContain("client-key-not-for-upstream").doesNotContain(TestGateway.TEST_KEY);
  }

  @Test
  void streamingThroughSdkHidesInjectedUsageChunkAndRecordsAssembledResponse() throws Exception {
    StringBuilder text = new StringBuilder();
    List<ChatCompletionChunk> chunks = new ArrayList<>();
    try (StreamResponse<ChatCompletionChunk> stream = sdk("stream-r", "a1").chat().completions().createStreaming(
        ChatCompletionCreateParams.builder().model("gpt-test").addUserMessage("Stream please").build())) {
      stream.stream().forEach(c -> {
        chunks.add(c);
        c.choices().forEach(ch -> ch.delta().content().ifPresent(text::append));
      });
    }
    assertThat(text.toString()).isEqualTo(FakeOpenAiUpstream.ANSWER);
    assertThat(chunks).allSatisfy(c -> assertThat(c.choices()).isNotEmpty());
    FakeOpenAiUpstream.Received sent = upstream.takeRequest();
    assertThat(sent.json().getJsonObject("stream_options").getBoolean("include_usage")).isTrue();

    List<Span> spans = gw.spans("stream-r");
    assertThat(spans).hasSize(1);
    Span s = spans.get(0);
    assertThat(s.status()).isEqualTo("ok");
    assertThat(s.firstTokenTimeUnixNano()).isNotNull().isBetween(s.startTimeUnixNano(), s.endTimeUnixNano());
    assertThat(s.usage().inputTokens()).isEqualTo(12L);
    assertThat(s.usage().outputTokens()).isEqualTo(5L);
    JsonNode message = s.response().path("choices").get(0).path("message");
    assertThat(message.path("content").asText()).isEqualTo(FakeOpenAiUpstream.ANSWER);
    assertThat(s.response().path("choices").get(0).path("finish_reason").asText()).isEqualTo("stop");
    assertThat(s.response().path("object").asText()).isEqualTo("chat.completion");
    assertThat(s.request().has("stream_options")).isFalse();
    assertThat(s.upstreamRequest().path("stream_options").path("include_usage").asBoolean()).isTrue();
  }

  @Test
  void clientThatAsksForUsageInAStreamGetsTheUsageChunk() throws Exception {
    List<ChatCompletionChunk> chunks = new ArrayList<>();
    try (StreamResponse<ChatCompletionChunk> stream = sdk("usage-r", "a1").chat().completions().createStreaming(
        ChatCompletionCreateParams.builder().model("gpt-test").addUserMessage("u")
            .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build())) {
      stream.stream().forEach(chunks::add);
    }
    upstream.takeRequest();
    ChatCompletionChunk last = chunks.get(chunks.size() - 1);
    assertThat(last.choices()).isEmpty();
    assertThat(last.usage()).isPresent();
    assertThat(last.usage().get().promptTokens()).isEqualTo(12);
    Span s = gw.spans("usage-r").get(0);
    assertThat(s.upstreamRequest()).isNotNull();
    assertThat(s.attributes()).containsEntry("tracegate.stream.usage_injected", false);
  }

  @Test
  void unknownFieldsPassThroughUntouchedAndHeadersSetTheScope() throws Exception {
    String body = "{\"model\":\"gpt-test\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],"
        + "\"vendor_extension\":{\"nested\":[1,2,{\"k\":\"v\"}]},\"top_k\":7}";
    HttpResponse<String> response = gw.post("/v1/chat/completions", body,
        "x-rollout-id", "hdr-r", "x-attempt-id", "hdr-a");
    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode sent = JSON.readTree(upstream.takeRequest().body().getBytes());
    JsonNode expected = JSON.readTree(body);
    ((com.fasterxml.jackson.databind.node.ObjectNode) expected).put("model", "backend-model");
    assertThat(sent).isEqualTo(expected);
    Span s = gw.spans("hdr-r").get(0);
    assertThat(s.attemptId()).isEqualTo("hdr-a");
    assertThat(response.headers().firstValue("x-request-id")).hasValue("req-fake-1");
  }

  @Test
  void legacyCompletionsEndpointIsProxied() throws Exception {
    HttpResponse<String> response = gw.post("/rollout/cmpl-r/attempt/a/v1/completions",
        "{\"model\":\"gpt-test\",\"prompt\":\"Once upon\",\"max_tokens\":5}");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(upstream.takeRequest().path()).isEqualTo("/v1/completions");
    Span s = gw.spans("cmpl-r").get(0);
    assertThat(s.name()).isEqualTo("text_completion gpt-test");
    assertThat(s.response().path("choices").get(0).path("text").asText()).isEqualTo(FakeOpenAiUpstream.ANSWER);
  }

  @Test
  void modelsListsFrontendNamesAndHealthAnswers() throws Exception {
    JsonNode models = JSON.readTree(gw.get("/v1/models").body());
    assertThat(models.path("data").get(0).path("id").asText()).isEqualTo("gpt-test");
    assertThat(JSON.readTree(gw.get("/rollout/r/attempt/a/v1/models").body()).path("object").asText())
        .isEqualTo("list");
    JsonNode health = JSON.readTree(gw.get("/health").body());
    assertThat(health.path("status").asText()).isEqualTo("ok");
    assertThat(health.path("store").has("persisted")).isTrue();
    String metrics = gw.get("/metrics").body();
    assertThat(metrics).contains("# TYPE tracegate_requests_answered_total counter")
        .containsPattern("tracegate_spans_persisted_total \\d+").contains("tracegate_span_queue_depth");
  }

  @Test
  void firstChunkReachesClientWhileUpstreamIsStillSending() throws Exception {
    upstream.gateAfterFirstChunk();
    try {
      HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      HttpRequest req = HttpRequest.newBuilder(URI.create(gw.url("/rollout/gate-r/attempt/a/v1/chat/completions")))
          .timeout(Duration.ofSeconds(20)).header("content-type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(
              "{\"model\":\"gpt-test\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
          .build();
      HttpResponse<java.io.InputStream> response = client.send(req, HttpResponse.BodyHandlers.ofInputStream());
      assertThat(response.statusCode()).isEqualTo(200);
      try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
        String first = reader.readLine();
        // the upstream is now blocked until we release it: this line can only be here if it was streamed
        assertThat(first).startsWith("data: ").contains("\"role\":\"assistant\"");
        upstream.releaseGate();
        StringBuilder rest = new StringBuilder();
        for (String line; (line = reader.readLine()) != null; ) {
          rest.append(line).append('\n');
        }
        assertThat(rest.toString()).contains(" upstream").endsWith("data: [DONE]\n\n");
      }
    } finally {
      upstream.releaseGate();
    }
    upstream.takeRequest();
    assertThat(gw.awaitSpans("gate-r", 1)).singleElement().satisfies(s -> assertThat(s.status()).isEqualTo("ok"));
  }
}
