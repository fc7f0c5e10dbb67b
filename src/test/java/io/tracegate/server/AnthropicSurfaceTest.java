package io.tracegate.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tracegate.config.BackendConfig;
import io.tracegate.config.Provider;
import io.tracegate.config.SecretRef;
import io.tracegate.config.StoreConfig;
import io.tracegate.testing.ClientView;
import io.tracegate.testing.ScriptedAnswer;
import io.tracegate.testing.ScriptedUpstream;
import io.tracegate.testing.TestGateway;
import io.tracegate.trace.Span;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Anthropic side of the surface: pass-through, Claude Code's request, count_tokens, probe, errors. */
class AnthropicSurfaceTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  static ScriptedUpstream upstream;
  static TestGateway gw;

  @BeforeAll
  static void start() throws Exception {
    upstream = new ScriptedUpstream();
    Map<String, BackendConfig> models = new LinkedHashMap<>();
    BackendConfig base = TestGateway.openAi(upstream.anthropicBaseUrl(), "claude-backend");
    models.put("claude-direct", new BackendConfig(null, Provider.ANTHROPIC, base.baseUrl(), base.model(),
        base.apiKey(), base.capture(), base.connectTimeout(), base.responseTimeout(), base.idleTimeout()));
    models.put("claude-*", TestGateway.openAi(upstream.openAiBaseUrl(), "qwen3-coder"));
    models.put("no-key-model", TestGateway.withKey(TestGateway.openAi(upstream.openAiBaseUrl(), null),
        new SecretRef("TRACEGATE_TEST_UNSET_VAR", null)));
    gw = TestGateway.start(TestGateway.config(StoreConfig.memory(), 4 << 20, models));
  }

  @AfterAll
  static void stop() throws Exception {
    gw.close();
    upstream.close();
  }

  private static JsonNode fixtureBody() throws Exception {
    try (InputStream in = AnthropicSurfaceTest.class.getResourceAsStream("/fixtures/claude-code-messages-request.json")) {
      return JSON.readTree(in).path("body");
    }
  }

  @Test
  void anthropicBackendGetsTheBodyExactlyAsSentExceptModel() throws Exception {
    upstream.script(ScriptedAnswer.reasoningThenText());
    ObjectNode body = (ObjectNode) fixtureBody().deepCopy();
    body.put("model", "claude-direct");
    body.put("stream", false);
    body.putObject("unknown_future_field").put("x", 1);
    HttpResponse<String> r = gw.post("/rollout/pt/attempt/a/v1/messages?beta=true", JSON.writeValueAsString(body),
        "anthropic-version", "2023-06-01", "anthropic-beta", "interleaved-thinking-2025-05-14,context-management-2025-06-27",
        "x-api-key", "sk-ant-client");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    ScriptedUpstream.Received sent = upstream.takeRequest();
    assertThat(sent.path()).isEqualTo("/v1/messages?beta=true");
    assertThat(sent.headers().get("anthropic-version")).isEqualTo("2023-06-01");
    assertThat(sent.headers().get("anthropic-beta")).contains("context-management-2025-06-27");
    assertThat(sent.headers().get("x-api-key")).isEqualTo(TestGateway.TEST_KEY);
    ObjectNode expected = body.deepCopy();
    expected.put("model", "claude-backend");
    assertThat(JSON.readTree(sent.body().encode())).isEqualTo(expected);
    JsonNode answer = JSON.readTree(r.body());
    assertThat(answer.path("content").get(0).path("type").asText()).isEqualTo("thinking");
    assertThat(answer.path("content").get(0).path("signature").asText()).isNotEmpty();

    Span s = gw.awaitSpans("pt", 1).get(0);
    assertThat(s.frontendProtocol()).isEqualTo("anthropic");
    assertThat(s.provider()).isEqualTo("anthropic");
    assertThat(s.usage().inputTokens()).isEqualTo(20L);
    assertThat(s.response().path("content").get(1).path("text").asText()).isEqualTo("2 + 2 = 4.");
  }

  @Test
  void anthropicStreamPassesThroughAndIsRecordedAssembled() throws Exception {
    upstream.script(ScriptedAnswer.parallelToolCalls());
    HttpResponse<String> r = gw.post("/rollout/pts/attempt/a/v1/messages",
        "{\"model\":\"claude-direct\",\"max_tokens\":100,\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"go\"}]}");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).contains("event: message_start").contains("event: ping").contains("event: message_stop");
    upstream.takeRequest();
    Span s = gw.awaitSpans("pts", 1).get(0);
    assertThat(ClientView.anthropic(s.response()))
        .isEqualTo(ClientView.anthropic(ClientView.assembleAnthropic(ClientView.ssePayloads(r.body()))));
    assertThat(s.usage().cacheReadInputTokens()).isEqualTo(256L);
    assertThat(s.usage().inputTokens()).isEqualTo(300L);
  }

  @Test
  void claudeCodeRequestIsTranslatedWithEveryToolAndMessage() throws Exception {
    upstream.script(ScriptedAnswer.textThenToolCall());
    JsonNode body = fixtureBody();
    HttpResponse<String> r = gw.post("/rollout/cc/attempt/a/v1/messages?beta=true", JSON.writeValueAsString(body),
        "anthropic-version", "2023-06-01", "x-api-key", "sk-ant-must-not-leak");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.body()).contains("event: content_block_delta").contains("input_json_delta");
    ScriptedUpstream.Received sent = upstream.takeRequest();
    assertThat(sent.path()).isEqualTo("/v1/chat/completions");
    assertThat(sent.headers().get("authorization")).isEqualTo("Bearer " + TestGateway.TEST_KEY);
    assertThat(sent.headers().get("x-api-key")).isNull();
    JsonObject req = sent.body();
    assertThat(req.getString("model")).isEqualTo("qwen3-coder");
    assertThat(req.getBoolean("stream")).isTrue();
    JsonArray tools = req.getJsonArray("tools");
    assertThat(tools).hasSize(body.path("tools").size());
    for (int i = 0; i < tools.size(); i++) {
      assertThat(tools.getJsonObject(i).getJsonObject("function").getString("name"))
          .isEqualTo(body.path("tools").get(i).path("name").asText());
    }
    JsonArray messages = req.getJsonArray("messages");
    assertThat(messages.getJsonObject(0).getString("role")).isEqualTo("system");
    assertThat(messages).hasSize(1 + body.path("messages").size());
    assertThat(req.getString("user")).isEqualTo(body.path("metadata").path("user_id").asText());

    Span s = gw.awaitSpans("cc", 1).get(0);
    @SuppressWarnings("unchecked")
    List<String> dropped = (List<String>) s.attributes().get("tracegate.translation.dropped");
    assertThat(dropped).contains("cache_control", "context_management");
    assertThat(s.request().path("tools").size()).isEqualTo(body.path("tools").size());
    assertThat(s.upstreamRequest().path("tools").size()).isEqualTo(body.path("tools").size());
  }

  @Test
  void probeAndCountTokens() throws Exception {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    HttpResponse<Void> head = http.send(HttpRequest.newBuilder(URI.create(gw.url("/api/hello")))
        .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
    assertThat(head.statusCode()).isEqualTo(200);
    HttpResponse<Void> prefixed = http.send(HttpRequest.newBuilder(URI.create(gw.url("/rollout/r/attempt/a/api/hello")))
        .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
    assertThat(prefixed.statusCode()).isEqualTo(200);

    HttpResponse<String> estimate = gw.post("/v1/messages/count_tokens",
        "{\"model\":\"claude-haiku\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello, how many tokens is this?\"}]}");
    assertThat(estimate.statusCode()).isEqualTo(200);
    assertThat(estimate.headers().firstValue("tracegate-token-count")).hasValue("estimate");
    JsonNode e = JSON.readTree(estimate.body());
    assertThat(e.path("input_tokens").asInt()).isBetween(5, 30);
    assertThat(e.path("estimated").asBoolean()).isTrue();
  }

  @Test
  void errorsUseAnthropicShape() throws Exception {
    HttpResponse<String> unknown = gw.post("/v1/messages", "{\"model\":\"gpt-nothing\",\"max_tokens\":5,\"messages\":[]}",
        "x-rollout-id", "err-a");
    assertThat(unknown.statusCode()).isEqualTo(404);
    JsonNode body = JSON.readTree(unknown.body());
    assertThat(body.path("type").asText()).isEqualTo("error");
    assertThat(body.path("error").path("type").asText()).isEqualTo("not_found_error");
    assertThat(body.path("error").path("message").asText()).contains("gpt-nothing");

    HttpResponse<String> malformed = gw.post("/v1/messages", "{not json", "x-rollout-id", "err-a");
    assertThat(malformed.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(malformed.body()).path("error").path("type").asText()).isEqualTo("invalid_request_error");

    HttpResponse<String> noKey = gw.post("/v1/messages", "{\"model\":\"no-key-model\",\"max_tokens\":5,\"messages\":[]}",
        "x-rollout-id", "err-a");
    assertThat(noKey.statusCode()).isEqualTo(503);
    assertThat(JSON.readTree(noKey.body()).path("error").path("message").asText()).contains("TRACEGATE_TEST_UNSET_VAR");
    assertThat(gw.awaitSpans("err-a", 3)).allSatisfy(s -> {
      assertThat(s.status()).isEqualTo("error");
      assertThat(s.frontendProtocol()).isEqualTo("anthropic");
    });
  }

  @Test
  void upstreamErrorIsReshapedForAnthropicClients() throws Exception {
    upstream.failWith(429, "{\"error\":{\"message\":\"slow down\",\"type\":\"rate_limit\",\"code\":null}}");
    try {
      HttpResponse<String> r = gw.post("/v1/messages", "{\"model\":\"claude-x\",\"max_tokens\":5,"
          + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", "x-rollout-id", "err-429");
      assertThat(r.statusCode()).isEqualTo(429);
      JsonNode body = JSON.readTree(r.body());
      assertThat(body.path("type").asText()).isEqualTo("error");
      assertThat(body.path("error").path("type").asText()).isEqualTo("rate_limit_error");
      assertThat(body.path("error").path("message").asText()).contains("slow down");
      for (int i = 0; i < 3; i++) { // a 429 is retried twice by default (retries.max: 2)
        upstream.takeRequest();
      }
      assertThat(gw.awaitSpans("err-429", 1).get(0).status()).isEqualTo("error");
    } finally {
      upstream.failWith(0, null);
    }
  }

  @Test
  void upstreamFailureMidStreamBecomesAnErrorEvent() throws Exception {
    upstream.script(ScriptedAnswer.longOutput());
    upstream.cutStreamsAfter(20);
    try {
      HttpResponse<String> r = gw.post("/v1/messages", "{\"model\":\"claude-x\",\"max_tokens\":5,\"stream\":true,"
          + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", "x-rollout-id", "err-mid");
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).contains("event: content_block_delta").contains("event: error")
          .doesNotContain("event: message_stop");
      upstream.takeRequest();
      Span s = gw.awaitSpans("err-mid", 1).get(0);
      assertThat(s.status()).isEqualTo("error");
      assertThat(s.firstTokenTimeUnixNano()).isNotNull();
    } finally {
      upstream.cutStreamsAfter(-1);
    }
  }
}
