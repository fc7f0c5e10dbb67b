package io.tracegate.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tracegate.config.BackendConfig;
import io.tracegate.config.Provider;
import io.tracegate.config.StoreConfig;
import io.tracegate.testing.ClientView;
import io.tracegate.testing.ScriptedAnswer;
import io.tracegate.testing.ScriptedUpstream;
import io.tracegate.testing.TestGateway;
import io.tracegate.trace.Span;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * For every client protocol x backend protocol pair and every scripted answer, the streamed answer a client
 * assembles equals the non-streamed answer (blocks, tool names, ids, arguments, stop reason, usage), both
 * agree with what the backend said, and each request leaves exactly one span with normalised usage.
 */
class TranslationEquivalenceTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  static ScriptedUpstream upstream;
  static TestGateway gw;

  @BeforeAll
  static void start() throws Exception {
    upstream = new ScriptedUpstream();
    Map<String, BackendConfig> models = new LinkedHashMap<>();
    models.put("oa-backed", TestGateway.openAi(upstream.openAiBaseUrl(), "backend-oa"));
    BackendConfig oa = TestGateway.openAi(upstream.anthropicBaseUrl(), "backend-an");
    models.put("an-backed", new BackendConfig(null, Provider.ANTHROPIC, oa.baseUrl(), oa.model(), oa.apiKey(),
        oa.capture(), oa.connectTimeout(), oa.responseTimeout(), oa.idleTimeout()));
    gw = TestGateway.start(TestGateway.config(StoreConfig.memory(), 1 << 20, models));
  }

  @AfterAll
  static void stop() throws Exception {
    gw.close();
    upstream.close();
  }

  static Stream<Arguments> cases() {
    List<Arguments> out = new ArrayList<>();
    for (String client : List.of("openai", "anthropic")) {
      for (String backend : List.of("oa-backed", "an-backed")) {
        for (ScriptedAnswer s : ScriptedAnswer.equivalenceCases()) {
          out.add(Arguments.of(client, backend, s));
        }
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0} client -> {1}: {2}")
  @MethodSource("cases")
  void streamedEqualsNonStreamed(String client, String model, ScriptedAnswer script) throws Exception {
    upstream.script(script);
    String rollout = "eq-" + client + "-" + model + "-" + script.name().replace(' ', '_');
    boolean anthropic = client.equals("anthropic");
    String path = "/rollout/" + rollout + "/attempt/a" + (anthropic ? "/v1/messages" : "/v1/chat/completions");

    HttpResponse<String> whole = gw.post(path, request(anthropic, model, false));
    assertThat(whole.statusCode()).as(whole.body()).isEqualTo(200);
    HttpResponse<String> streamed = gw.post(path, request(anthropic, model, true));
    assertThat(streamed.statusCode()).as(streamed.body()).isEqualTo(200);
    assertThat(streamed.headers().firstValue("content-type").orElse("")).startsWith("text/event-stream");

    List<JsonNode> payloads = ClientView.ssePayloads(streamed.body());
    ObjectNode fromStream = anthropic ? ClientView.anthropic(ClientView.assembleAnthropic(payloads))
        : ClientView.openAi(ClientView.assembleOpenAi(payloads));
    ObjectNode fromWhole = anthropic ? ClientView.anthropic(JSON.readTree(whole.body()))
        : ClientView.openAi(JSON.readTree(whole.body()));
    assertThat(fromStream).isEqualTo(fromWhole);
    assertThat(fromWhole).isEqualTo(expected(anthropic, script));

    List<Span> spans = gw.awaitSpans(rollout, 2);
    assertThat(spans).hasSize(2).allSatisfy(s -> {
      assertThat(s.status()).isEqualTo("ok");
      assertThat(s.frontendProtocol()).isEqualTo(client);
      assertThat(s.usage().inputTokens()).isEqualTo((long) script.inputTokens());
      assertThat(s.usage().outputTokens()).isEqualTo((long) script.outputTokens());
      assertThat(s.usage().cacheReadInputTokens()).isEqualTo((long) script.cachedInputTokens());
    });
    // the recorded response is what the client got, in the client's protocol, stream or not
    for (Span s : spans) {
      ObjectNode recorded = anthropic ? ClientView.anthropic(s.response()) : ClientView.openAi(s.response());
      assertThat(recorded).isEqualTo(fromWhole);
    }
  }

  private static String request(boolean anthropic, String model, boolean stream) throws Exception {
    ObjectNode r = JSON.createObjectNode().put("model", model).put("max_tokens", 256).put("stream", stream);
    r.putArray("messages").addObject().put("role", "user").put("content", "What is the weather in Paris?");
    ObjectNode schema = JSON.createObjectNode().put("type", "object");
    schema.putObject("properties").putObject("city").put("type", "string");
    ObjectNode tool = r.putArray("tools").addObject();
    if (anthropic) {
      tool.put("name", "get_weather").put("description", "Weather by city").set("input_schema", schema);
    } else {
      tool.put("type", "function").putObject("function").put("name", "get_weather")
          .put("description", "Weather by city").set("parameters", schema);
      if (stream) {
        r.putObject("stream_options").put("include_usage", true);
      }
    }
    return JSON.writeValueAsString(r);
  }

  /** What the script means for a client of that protocol. */
  private static ObjectNode expected(boolean anthropic, ScriptedAnswer s) throws Exception {
    ObjectNode out = JSON.createObjectNode();
    if (anthropic) {
      var blocks = out.putArray("content");
      for (ScriptedAnswer.Part p : s.parts()) {
        if (p instanceof ScriptedAnswer.Text t) {
          blocks.addObject().put("type", "text").put("text", t.text());
        } else if (p instanceof ScriptedAnswer.Tool t) {
          blocks.addObject().put("type", "tool_use").put("id", t.id()).put("name", t.name())
              .set("input", JSON.readTree(t.argumentsJson()));
        }
      }
      out.put("stop_reason", switch (s.stop()) {
        case END -> "end_turn";
        case MAX_TOKENS -> "max_tokens";
        case TOOL_USE -> "tool_use";
      });
      out.put("input_tokens", (long) (s.inputTokens() - s.cachedInputTokens()));
      out.put("output_tokens", (long) s.outputTokens());
      out.put("cache_read_input_tokens", (long) s.cachedInputTokens());
      return out;
    }
    StringBuilder text = new StringBuilder();
    var tools = JSON.createArrayNode();
    for (ScriptedAnswer.Part p : s.parts()) {
      if (p instanceof ScriptedAnswer.Text t) {
        text.append(t.text());
      } else if (p instanceof ScriptedAnswer.Tool t) {
        tools.addObject().put("id", t.id()).put("name", t.name()).set("arguments", JSON.readTree(t.argumentsJson()));
      }
    }
    out.put("content", text.length() == 0 ? null : text.toString());
    out.putNull("reasoning");
    out.set("tool_calls", tools);
    out.put("finish_reason", switch (s.stop()) {
      case END -> "stop";
      case MAX_TOKENS -> "length";
      case TOOL_USE -> "tool_calls";
    });
    out.put("prompt_tokens", (long) s.inputTokens());
    out.put("completion_tokens", (long) s.outputTokens());
    out.put("cached_tokens", (long) s.cachedInputTokens());
    return out;
  }
}
