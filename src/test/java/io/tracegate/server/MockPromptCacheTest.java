package io.tracegate.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tracegate.config.ConfigLoader;
import io.tracegate.config.GatewayConfig;
import io.tracegate.config.StoreConfig;
import io.tracegate.testing.ClientView;
import io.tracegate.testing.TestGateway;
import io.tracegate.trace.Span;
import io.tracegate.trace.Usage;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The built-in mock (shipped config, {@code claude-*}) simulates Anthropic's prompt cache for Anthropic clients:
 * what a request's {@code cache_control} breakpoints write (5m and 1h apart) is read by later requests that
 * extend the prompt, below the minimum cacheable length nothing is cached, a changed tools array loses the
 * cache, and both non-streamed answers and streams ({@code message_start}) carry the usage. Expected figures
 * are counted by hand: the system prompt is one nonce word and 1199 times " w" (1200 toy tokens), a message
 * costs 3 tokens of framing plus its words.
 */
class MockPromptCacheTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String[] HEADERS = {"content-type", "application/json", "anthropic-version", "2023-06-01"};
  private static TestGateway gw;

  @BeforeAll
  static void start() throws Exception {
    GatewayConfig shipped = ConfigLoader.load(Path.of("conf/tracegate.yaml"), Map.of());
    gw = TestGateway.start(shipped.withStore(StoreConfig.memory()).withPort(0));
  }

  @AfterAll
  static void stop() {
    gw.close();
  }

  @Test
  void laterCallsReadWhatEarlierCallsWroteSplitByTtl() throws Exception {
    String rollout = "cache-ttl-" + UUID.randomUUID();
    ObjectNode request = request(1200, "1h");
    user(request, "hello there", true);
    JsonNode first = call(rollout, request, false);
    assertUsage(first, 0, 0, 5, 1200);
    assertThat(first.at("/usage/cache_creation_input_tokens").asLong()).isEqualTo(1205);

    // the seed's single-last strategy: the previous mark goes, the new last message carries it
    unmark(request);
    assistant(request, "ok fine");
    user(request, "next one", true);
    JsonNode second = call(rollout, request, false);
    assertUsage(second, 0, 1205, 10, 0);

    List<Span> spans = gw.awaitSpans(rollout, 2);
    Usage recorded = spans.get(1).usage();
    assertThat(recorded.inputTokens()).isEqualTo(1215L); // OpenTelemetry: cached tokens included
    assertThat(recorded.cacheReadInputTokens()).isEqualTo(1205L);
    assertThat(recorded.cacheCreation5mInputTokens()).isEqualTo(10L);
    assertThat(recorded.cacheCreation1hInputTokens()).isEqualTo(0L);
    assertThat(spans.get(0).usage().cacheCreation1hInputTokens()).isEqualTo(1200L);
    assertThat(spans.get(0).usage().cacheCreation5mInputTokens()).isEqualTo(5L);
    assertThat(spans).extracting(Span::costUsd).doesNotContainNull();
  }

  @Test
  void noBreakpointMeansNoCacheAndShortPrefixesAreNotCached() throws Exception {
    String rollout = "cache-none-" + UUID.randomUUID();
    ObjectNode unmarked = request(1200, null);
    user(unmarked, "hello there", false);
    assertUsage(call(rollout, unmarked, false), 1205, 0, 0, 0);
    assertUsage(call(rollout, unmarked, false), 1205, 0, 0, 0);

    ObjectNode shortPrompt = request(1000, "5m"); // 1005 tokens with the message: below 1024
    user(shortPrompt, "hello there", true);
    assertUsage(call(rollout, shortPrompt, false), 1005, 0, 0, 0);
    assertUsage(call(rollout, shortPrompt, false), 1005, 0, 0, 0);
  }

  @Test
  void streamCarriesTheCacheUsageInMessageStart() throws Exception {
    String rollout = "cache-stream-" + UUID.randomUUID();
    ObjectNode request = request(1200, "5m");
    user(request, "hello there", false);
    call(rollout, request, true); // writes the system prompt
    user(request, "more", false);
    request.put("stream", true);
    HttpResponse<String> response = gw.post("/rollout/" + rollout + "/attempt/1/v1/messages", request.toString(),
        HEADERS);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    List<JsonNode> events = ClientView.ssePayloads(response.body());
    JsonNode start = events.get(0);
    assertThat(start.path("type").asText()).isEqualTo("message_start");
    JsonNode usage = start.at("/message/usage");
    assertThat(usage.path("cache_read_input_tokens").asLong()).isEqualTo(1200);
    assertThat(usage.path("cache_creation_input_tokens").asLong()).isZero();
    assertThat(usage.path("input_tokens").asLong()).isEqualTo(5 + 4); // two user messages: 2+3 and 1+3
    JsonNode assembled = ClientView.assembleAnthropic(events);
    assertThat(assembled.at("/usage/cache_read_input_tokens").asLong()).isEqualTo(1200);
    assertThat(assembled.at("/usage/output_tokens").asLong()).isPositive();
    Span streamed = gw.awaitSpans(rollout, 2).get(1);
    assertThat(streamed.usage().cacheReadInputTokens()).isEqualTo(1200L);
    assertThat(streamed.usage().inputTokens()).isEqualTo(1209L);
  }

  @Test
  void changedToolsLoseTheWholeCache() throws Exception {
    String rollout = "cache-tools-" + UUID.randomUUID();
    ObjectNode request = request(1200, "5m");
    ArrayNode tools = request.putArray("tools");
    tools.addObject().put("name", "bash").put("description", "Run a command.")
        .putObject("input_schema").put("type", "object");
    user(request, "hello there", false);
    JsonNode first = call(rollout, request, false);
    long prompt = first.at("/usage/cache_creation_input_tokens").asLong();
    assertThat(prompt).isGreaterThan(1200);
    assertThat(call(rollout, request, false).at("/usage/cache_read_input_tokens").asLong()).isEqualTo(prompt);

    ((ObjectNode) tools.get(0)).put("description", "Run a bash command.");
    JsonNode changed = call(rollout, request, false);
    assertThat(changed.at("/usage/cache_read_input_tokens").asLong()).isZero();
    assertThat(changed.at("/usage/cache_creation_input_tokens").asLong()).isEqualTo(prompt + 1);
  }

  @Test
  void moreThanFourBreakpointsAreRefusedAsAnthropicDoes() throws Exception {
    ObjectNode request = request(1200, "5m");
    for (int i = 0; i < 4; i++) {
      user(request, "turn " + i, true);
    }
    HttpResponse<String> response = gw.post("/rollout/cache-five-" + UUID.randomUUID() + "/attempt/1/v1/messages",
        request.toString(), HEADERS);
    assertThat(response.statusCode()).isEqualTo(400);
    JsonNode error = JSON.readTree(response.body());
    assertThat(error.path("type").asText()).isEqualTo("error");
    assertThat(error.at("/error/type").asText()).isEqualTo("invalid_request_error");
    assertThat(error.at("/error/message").asText())
        .isEqualTo("A maximum of 4 blocks with cache_control may be provided. Found 5.");
  }

  private static JsonNode call(String rollout, ObjectNode request, boolean stream) throws Exception {
    ObjectNode body = request.deepCopy();
    body.put("stream", stream);
    HttpResponse<String> response = gw.post("/rollout/" + rollout + "/attempt/1/v1/messages", body.toString(),
        HEADERS);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return stream ? ClientView.assembleAnthropic(ClientView.ssePayloads(response.body()))
        : JSON.readTree(response.body());
  }

  private static void assertUsage(JsonNode message, long input, long read, long write5m, long write1h) {
    JsonNode u = message.path("usage");
    assertThat(u.path("input_tokens").asLong()).as(u.toString()).isEqualTo(input);
    assertThat(u.path("cache_read_input_tokens").asLong()).as(u.toString()).isEqualTo(read);
    assertThat(u.at("/cache_creation/ephemeral_5m_input_tokens").asLong()).as(u.toString()).isEqualTo(write5m);
    assertThat(u.at("/cache_creation/ephemeral_1h_input_tokens").asLong()).as(u.toString()).isEqualTo(write1h);
    assertThat(u.path("cache_creation_input_tokens").asLong()).as(u.toString()).isEqualTo(write5m + write1h);
  }

  /** A request whose system prompt is {@code systemTokens} toy tokens, unique to this call, marked with {@code ttl}. */
  private static ObjectNode request(int systemTokens, String ttl) {
    StringBuilder text = new StringBuilder("nonce" + UUID.randomUUID().toString().replace("-", ""));
    text.append(" w".repeat(systemTokens - 1));
    ObjectNode request = JSON.createObjectNode().put("model", "claude-sonnet-4-6").put("max_tokens", 64);
    ObjectNode block = request.putArray("system").addObject().put("type", "text").put("text", text.toString());
    if (ttl != null) {
      block.putObject("cache_control").put("type", "ephemeral").put("ttl", ttl);
    }
    request.putArray("messages");
    return request;
  }

  private static void user(ObjectNode request, String text, boolean mark) {
    ObjectNode block = ((ArrayNode) request.get("messages")).addObject().put("role", "user").putArray("content")
        .addObject().put("type", "text").put("text", text);
    if (mark) {
      block.putObject("cache_control").put("type", "ephemeral");
    }
  }

  private static void assistant(ObjectNode request, String text) {
    ((ArrayNode) request.get("messages")).addObject().put("role", "assistant").putArray("content")
        .addObject().put("type", "text").put("text", text);
  }

  private static void unmark(ObjectNode request) {
    for (JsonNode message : request.get("messages")) {
      for (JsonNode block : message.path("content")) {
        ((ObjectNode) block).remove("cache_control");
      }
    }
  }
}
