package io.tracegate.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tracegate.config.BackendConfig;
import io.tracegate.config.StoreConfig;
import io.tracegate.config.SystemMessages;
import io.tracegate.testing.FakeOpenAiUpstream;
import io.tracegate.testing.TestGateway;
import io.tracegate.trace.Span;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Requests captured from Claude Code 2.1.332 (texts replaced by same-length filler that names its position),
 * sent through the real Anthropic surface to an OpenAI-compatible backend under each {@link SystemMessages}
 * placement: every text of the conversation (the in-conversation {@code role: "system"} entry included)
 * reaches the backend, and whatever the translation could not express is both named on the span and
 * documented in docs/translation.md.
 */
class ClaudeCodeContextTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> FIXTURES =
      List.of("claude-code-2.1.332-first-turn.json", "claude-code-2.1.332-tool-turn.json");

  static FakeOpenAiUpstream upstream;
  static TestGateway gw;

  @BeforeAll
  static void start() throws Exception {
    upstream = new FakeOpenAiUpstream();
    Map<String, BackendConfig> models = new LinkedHashMap<>();
    for (SystemMessages placement : SystemMessages.values()) {
      BackendConfig b = TestGateway.openAi(upstream.baseUrl(), "qwen3-coder");
      models.put("claude-" + placement.id(), new BackendConfig(b.name(), b.provider(), b.baseUrl(), b.model(),
          b.apiKey(), b.capture(), b.connectTimeout(), b.responseTimeout(), b.idleTimeout(), placement));
    }
    gw = TestGateway.start(TestGateway.config(StoreConfig.memory(), 4 << 20, models));
  }

  @AfterAll
  static void stop() throws Exception {
    gw.close();
    upstream.close();
  }

  @ParameterizedTest
  @CsvSource({
      "claude-code-2.1.332-first-turn.json, keep", "claude-code-2.1.332-first-turn.json, merge_first",
      "claude-code-2.1.332-first-turn.json, as_user", "claude-code-2.1.332-tool-turn.json, keep",
      "claude-code-2.1.332-tool-turn.json, merge_first", "claude-code-2.1.332-tool-turn.json, as_user"})
  void everyTextOfTheConversationReachesTheBackend(String fixture, String placement) throws Exception {
    JsonNode capture = fixture(fixture);
    ObjectNode body = capture.get("body").deepCopy();
    body.put("model", "claude-" + placement);
    String rollout = "cc-" + FIXTURES.indexOf(fixture) + "-" + placement;
    HttpResponse<String> resp = gw.post("/rollout/" + rollout + "/attempt/1" + capture.get("path").asText(),
        body.toString(), "anthropic-version", "2023-06-01", "anthropic-beta",
        capture.path("headers").path("anthropic-beta").asText(), "x-api-key", "dummy");
    assertThat(resp.statusCode()).isEqualTo(200);
    assertThat(resp.body()).contains("event: message_stop");

    JsonObject sent = upstream.takeRequest().json();
    JsonArray messages = sent.getJsonArray("messages");
    StringBuilder upstreamText = new StringBuilder();
    List<JsonObject> calls = new ArrayList<>();
    List<String> roles = new ArrayList<>();
    for (int i = 0; i < messages.size(); i++) {
      JsonObject m = messages.getJsonObject(i);
      roles.add(m.getString("role"));
      upstreamText.append(m.getValue("content")).append('\n');
      JsonArray toolCalls = m.getJsonArray("tool_calls");
      for (int j = 0; toolCalls != null && j < toolCalls.size(); j++) {
        calls.add(toolCalls.getJsonObject(j));
      }
    }
    String all = upstreamText.toString();
    List<String> expected = texts(capture.get("body"));
    assertThat(expected).as("the fixture's texts").hasSizeGreaterThan(3);
    for (String text : expected) {
      assertThat(all).as("text %s... reaches the backend", text.substring(0, Math.min(20, text.length())))
          .contains(text);
    }
    for (JsonNode m : capture.get("body").get("messages")) {
      for (JsonNode block : m.path("content")) {
        if ("tool_use".equals(block.path("type").asText())) {
          assertThat(calls).anySatisfy(call -> {
            assertThat(call.getString("id")).isEqualTo(block.get("id").asText());
            assertThat(JSON.readTree(call.getJsonObject("function").getString("arguments")))
                .isEqualTo(block.get("input"));
          });
        }
      }
    }

    String inline = inlineSystemText(capture.get("body"));
    int inlineAt = indexOf(messages, inline);
    switch (placement) {
      case "keep" -> {
        assertThat(roles.stream().filter("system"::equals)).hasSize(2);
        assertThat(roles.get(inlineAt)).isEqualTo("system");
        assertThat(inlineAt).isEqualTo(2); // [system, user, system(inline), ...] as Claude Code ordered it
      }
      case "merge_first" -> {
        assertThat(roles.stream().filter("system"::equals)).hasSize(1);
        assertThat(roles.get(0)).isEqualTo("system");
        assertThat(inlineAt).isZero();
      }
      default -> {
        assertThat(roles.stream().filter("system"::equals)).hasSize(1);
        assertThat(roles.get(inlineAt)).isEqualTo("user");
        assertThat(inlineAt).isEqualTo(2);
      }
    }

    Span span = gw.awaitSpans(rollout, 1).get(0);
    @SuppressWarnings("unchecked")
    List<String> dropped = (List<String>) span.attributes().get("tracegate.translation.dropped");
    assertThat(dropped).noneMatch(kind -> kind.startsWith("role:"))
        .contains("cache_control", "thinking", "context_management", "output_config");
    String docs = Files.readString(Path.of("docs/translation.md"));
    for (String kind : dropped) {
      assertThat(docs).as("docs/translation.md names the dropped kind %s", kind).contains("`" + kind + "`");
    }
  }

  private static JsonNode fixture(String name) throws Exception {
    try (InputStream in = ClaudeCodeContextTest.class.getResourceAsStream("/fixtures/" + name)) {
      return JSON.readTree(in);
    }
  }

  /** Every text an Anthropic request carries: system blocks, message texts, tool results. */
  private static List<String> texts(JsonNode body) {
    List<String> out = new ArrayList<>();
    body.get("system").forEach(b -> out.add(b.get("text").asText()));
    for (JsonNode m : body.get("messages")) {
      JsonNode content = m.get("content");
      if (content.isTextual()) {
        out.add(content.asText());
        continue;
      }
      for (JsonNode block : content) {
        switch (block.path("type").asText()) {
          case "text" -> out.add(block.get("text").asText());
          case "tool_result" -> {
            if (block.get("content").isTextual()) {
              out.add(block.get("content").asText());
            } else {
              block.get("content").forEach(b -> out.add(b.path("text").asText()));
            }
          }
          default -> { }
        }
      }
    }
    return out;
  }

  private static String inlineSystemText(JsonNode body) {
    for (JsonNode m : body.get("messages")) {
      if ("system".equals(m.get("role").asText())) {
        JsonNode c = m.get("content");
        return c.isTextual() ? c.asText() : c.get(0).get("text").asText();
      }
    }
    throw new AssertionError("the fixture has no role: system entry in messages");
  }

  private static int indexOf(JsonArray messages, String text) {
    for (int i = 0; i < messages.size(); i++) {
      if (String.valueOf(messages.getJsonObject(i).getValue("content")).contains(text)) {
        return i;
      }
    }
    throw new AssertionError("no upstream message holds the in-conversation system text");
  }
}
