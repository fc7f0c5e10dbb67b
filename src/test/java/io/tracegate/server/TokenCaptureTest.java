package io.tracegate.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tracegate.config.BackendConfig;
import io.tracegate.config.Capture;
import io.tracegate.config.StoreConfig;
import io.tracegate.testing.ClientView;
import io.tracegate.testing.FakeVllmUpstream;
import io.tracegate.testing.TestGateway;
import io.tracegate.trace.Span;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Capture of vLLM token ids and logprobs through a real HTTP fake vLLM: requested on every call, recorded
 * exactly (stream and not, chat and completions, OpenAI and translated Anthropic clients), hidden from
 * clients that did not ask for them, and exported as triplets with rewards.
 */
class TokenCaptureTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir static Path dir;
  static FakeVllmUpstream vllm;
  static TestGateway gw;

  @BeforeAll
  static void start() throws Exception {
    vllm = new FakeVllmUpstream();
    BackendConfig b = TestGateway.openAi(vllm.baseUrl(), "Qwen/Qwen3-8B");
    BackendConfig capturing = new BackendConfig(b.name(), b.provider(), b.baseUrl(), b.model(), b.apiKey(),
        Set.of(Capture.TOKEN_IDS, Capture.LOGPROBS), b.connectTimeout(), b.responseTimeout(), b.idleTimeout());
    gw = TestGateway.start(TestGateway.config(StoreConfig.sqlite(dir.resolve("capture.db").toString()), 4 << 20,
        Map.of("policy", capturing, "claude-sonnet-4-5-20250929", capturing)));
  }

  @AfterAll
  static void stop() throws Exception {
    gw.close();
    vllm.close();
  }

  private static void assertSpanHasExactIds(Span s, FakeVllmUpstream.Call call) {
    assertThat(s.promptTokenIds()).isNotEmpty().containsExactly(call.promptTokenIds());
    assertThat(s.responseTokenIds()).isNotEmpty().containsExactly(call.responseTokenIds());
    assertThat(s.responseLogprobs()).containsExactly(call.logprobs());
    assertThat(s.responseLogprobs()).hasSameSizeAs(s.responseTokenIds());
  }

  @Test
  void chatNonStreamCapturesIdsButClientGetsPlainShape() throws Exception {
    HttpResponse<String> r = gw.post("/rollout/cap-chat/attempt/1/v1/chat/completions",
        "{\"model\":\"policy\",\"messages\":[{\"role\":\"user\",\"content\":\"Tell me a story about a fox\"}],\"max_tokens\":12}");
    assertThat(r.statusCode()).isEqualTo(200);
    FakeVllmUpstream.Call call = vllm.takeCall();
    assertThat(call.request().path("return_token_ids").asBoolean()).isTrue();
    assertThat(call.request().path("logprobs").asBoolean()).isTrue();
    JsonNode client = JSON.readTree(r.body());
    assertThat(client.has("prompt_token_ids")).isFalse();
    assertThat(client.path("choices").get(0).has("token_ids")).isFalse();
    assertThat(client.path("choices").get(0).path("logprobs").isNull()).isTrue();
    Span span = gw.awaitSpans("cap-chat", 1).get(0);
    assertSpanHasExactIds(span, call);
    // the recorded response is what the client got
    assertThat(span.response().has("prompt_token_ids")).isFalse();
    assertThat(span.response().path("choices").get(0).path("logprobs").isNull()).isTrue();
  }

  @Test
  void chatStreamConcatenatesPerChunkIds() throws Exception {
    HttpResponse<String> r = gw.post("/rollout/cap-stream/attempt/1/v1/chat/completions",
        "{\"model\":\"policy\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Count to ten please\"}],\"max_tokens\":9}");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).doesNotContain("token_ids").doesNotContain("\"logprob\"");
    FakeVllmUpstream.Call call = vllm.takeCall();
    assertSpanHasExactIds(gw.awaitSpans("cap-stream", 1).get(0), call);
  }

  @Test
  void clientThatAsksForLogprobsAndIdsGetsThem() throws Exception {
    HttpResponse<String> r = gw.post("/rollout/cap-ask/attempt/1/v1/chat/completions",
        "{\"model\":\"policy\",\"logprobs\":true,\"return_token_ids\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_tokens\":4}");
    JsonNode client = JSON.readTree(r.body());
    assertThat(client.has("prompt_token_ids")).isTrue();
    assertThat(client.path("choices").get(0).path("logprobs").path("content").size()).isPositive();
    assertSpanHasExactIds(gw.awaitSpans("cap-ask", 1).get(0), vllm.takeCall());
  }

  @Test
  void clientThatDeclinesTokenIdsStillGetsThemCapturedButNotShown() throws Exception {
    for (String declined : new String[] {"false", "null"}) {
      for (boolean stream : new boolean[] {false, true}) {
        String rollout = "cap-decline-" + declined + "-" + stream;
        HttpResponse<String> r = gw.post("/rollout/" + rollout + "/attempt/1/v1/chat/completions",
            "{\"model\":\"policy\",\"return_token_ids\":" + declined + ",\"stream\":" + stream
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"Name three rivers\"}],\"max_tokens\":7}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        FakeVllmUpstream.Call call = vllm.takeCall();
        assertThat(call.request().path("return_token_ids").isBoolean()).as(call.request().toString()).isTrue();
        assertThat(call.request().path("return_token_ids").asBoolean()).isTrue();
        assertThat(r.body()).as(rollout).doesNotContain("token_ids").doesNotContain("\"logprob\"");
        Span span = gw.awaitSpans(rollout, 1).get(0);
        assertSpanHasExactIds(span, call);
        assertThat(span.response().toString()).doesNotContain("token_ids");
      }
    }
  }

  @Test
  void completionsStreamAndNonStream() throws Exception {
    for (boolean stream : new boolean[] {false, true}) {
      String rollout = "cap-cmpl-" + stream;
      HttpResponse<String> r = gw.post("/rollout/" + rollout + "/attempt/1/v1/completions",
          "{\"model\":\"policy\",\"prompt\":\"Once upon a time\",\"max_tokens\":8,\"stream\":" + stream + "}");
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).doesNotContain("token_ids");
      FakeVllmUpstream.Call call = vllm.takeCall();
      assertThat(call.request().path("logprobs").asInt()).isEqualTo(1);
      assertSpanHasExactIds(gw.awaitSpans(rollout, 1).get(0), call);
    }
  }

  @Test
  void claudeCodeShapedToolConversationOnVllmYieldsOneTripletPerTurnWithExactIds() throws Exception {
    ObjectNode request = JSON.createObjectNode().put("model", "claude-sonnet-4-5-20250929").put("max_tokens", 256)
        .put("stream", true);
    ArrayNode system = request.putArray("system");
    system.addObject().put("type", "text").put("text", "You are Claude Code.").putObject("cache_control")
        .put("type", "ephemeral");
    ObjectNode tool = request.putArray("tools").addObject().put("name", "get_weather").put("description", "Weather");
    tool.putObject("input_schema").put("type", "object").putObject("properties").putObject("city").put("type", "string");
    ArrayNode messages = request.putArray("messages");
    messages.addObject().put("role", "user").put("content", "What is the weather in Paris?");

    HttpResponse<String> first = gw.post("/rollout/cc-rl/attempt/1/v1/messages?beta=true", JSON.writeValueAsString(request));
    assertThat(first.statusCode()).isEqualTo(200);
    JsonNode message = ClientView.assembleAnthropic(ClientView.ssePayloads(first.body()));
    JsonNode toolUse = null;
    for (JsonNode block : message.path("content")) {
      if (block.path("type").asText().equals("tool_use")) {
        toolUse = block;
      }
    }
    assertThat(toolUse).as(message.toString()).isNotNull();
    FakeVllmUpstream.Call call1 = vllm.takeCall();

    messages.addObject().put("role", "assistant").set("content", message.path("content"));
    ObjectNode result = messages.addObject().put("role", "user").putArray("content").addObject()
        .put("type", "tool_result").put("tool_use_id", toolUse.path("id").asText()).put("content", "18C and sunny");
    assertThat(result).isNotNull();
    request.put("stream", false);
    HttpResponse<String> second = gw.post("/rollout/cc-rl/attempt/1/v1/messages?beta=true", JSON.writeValueAsString(request));
    assertThat(second.statusCode()).isEqualTo(200);
    FakeVllmUpstream.Call call2 = vllm.takeCall();

    HttpResponse<String> reward = gw.post("/api/rollouts/cc-rl/rewards", "{\"value\": 1.0}");
    assertThat(reward.statusCode()).as(reward.body()).isEqualTo(201);
    assertThat(JSON.readTree(reward.body()).path("sequence_id").asLong()).isEqualTo(3);

    List<Span> spans = gw.awaitSpans("cc-rl", 3);
    assertSpanHasExactIds(spans.get(0), call1);
    assertSpanHasExactIds(spans.get(1), call2);

    HttpResponse<String> triplets = gw.get("/api/triplets?rollout_id=cc-rl");
    assertThat(triplets.statusCode()).isEqualTo(200);
    List<String> lines = triplets.body().lines().filter(l -> !l.isBlank()).toList();
    assertThat(lines).hasSize(2);
    FakeVllmUpstream.Call[] calls = {call1, call2};
    for (int i = 0; i < 2; i++) {
      JsonNode t = JSON.readTree(lines.get(i));
      assertThat(t.path("turn").asInt()).isEqualTo(i);
      assertThat(JSON.convertValue(t.path("prompt_token_ids"), int[].class)).containsExactly(calls[i].promptTokenIds());
      assertThat(JSON.convertValue(t.path("response_token_ids"), int[].class)).containsExactly(calls[i].responseTokenIds());
      assertThat(JSON.convertValue(t.path("response_logprobs"), double[].class)).containsExactly(calls[i].logprobs());
      // the OpenAI-format conversation actually sent to vLLM
      JsonNode sent = JSON.readTree(t.path("messages").asText());
      assertThat(sent.get(0).path("role").asText()).isEqualTo("system");
    }
    assertThat(JSON.readTree(lines.get(0)).path("reward").isNull()).isTrue();
    assertThat(JSON.readTree(lines.get(1)).path("reward").asDouble()).isEqualTo(1.0);
  }

  @Test
  void rewardValidation() throws Exception {
    HttpResponse<String> bad = gw.post("/api/rollouts/whatever/rewards", "{\"value\": \"high\"}");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(bad.body()).path("error").path("message").asText()).contains("'value'");
    HttpResponse<String> unknownSpan = gw.post("/api/rollouts/whatever/rewards", "{\"value\": 1, \"span_id\": \"0123456789abcdef\"}");
    assertThat(unknownSpan.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(unknownSpan.body()).path("error").path("message").asText()).contains("0123456789abcdef");
  }
}
