package io.tracegate.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.JsonValue;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.ContentBlock;
import com.anthropic.models.messages.ContentBlockParam;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.StopReason;
import com.anthropic.models.messages.Tool;
import com.anthropic.models.messages.ToolResultBlockParam;
import com.anthropic.models.messages.ToolUseBlock;
import com.fasterxml.jackson.databind.JsonNode;
import io.tracegate.config.StoreConfig;
import io.tracegate.testing.ScriptedAnswer;
import io.tracegate.testing.ScriptedUpstream;
import io.tracegate.testing.TestGateway;
import io.tracegate.trace.Span;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The official anthropic-java SDK runs a two-turn tool loop (tool_use -> tool_result -> final text) through
 * the gateway against an OpenAI-compatible upstream, streaming and not.
 */
class AnthropicSdkToolLoopTest {

  @ParameterizedTest(name = "stream={0}")
  @ValueSource(booleans = {false, true})
  void twoTurnToolLoopAgainstOpenAiCompatibleBackend(boolean stream) throws Exception {
    try (ScriptedUpstream upstream = new ScriptedUpstream();
        TestGateway gw = TestGateway.start(TestGateway.config(StoreConfig.memory(), 1 << 20,
            Map.of("claude-sonnet-4-5-20250929", TestGateway.openAi(upstream.openAiBaseUrl(), "qwen3-coder"))))) {
      AnthropicClient client = AnthropicOkHttpClient.builder()
          .baseUrl(gw.url("/rollout/loop/attempt/a1"))
          .apiKey("sk-ant-client-key")
          .maxRetries(0)
          .build();
      Tool weather = Tool.builder().name("get_weather").description("Current weather for a city")
          .inputSchema(Tool.InputSchema.builder()
              .properties(Tool.InputSchema.Properties.builder()
                  .putAdditionalProperty("city", JsonValue.from(Map.of("type", "string")))
                  .putAdditionalProperty("unit", JsonValue.from(Map.of("type", "string")))
                  .build())
              .addRequired("city").build())
          .build();
      MessageCreateParams.Builder turn1 = MessageCreateParams.builder()
          .model("claude-sonnet-4-5-20250929").maxTokens(1024)
          .system("You are a helpful assistant.")
          .addTool(weather)
          .addUserMessage("What's the weather in Paris?");

      upstream.script(ScriptedAnswer.oneToolCall());
      Message first = send(client, turn1.build(), stream);
      assertThat(first.stopReason()).contains(StopReason.TOOL_USE);
      ToolUseBlock toolUse = first.content().stream().filter(ContentBlock::isToolUse).findFirst().orElseThrow()
          .asToolUse();
      assertThat(toolUse.id()).isEqualTo("call_weather_1");
      assertThat(toolUse.name()).isEqualTo("get_weather");
      assertThat(toolUse._input().convert(Map.class)).isEqualTo(Map.of("city", "Paris", "unit", "celsius"));
      assertThat(first.usage().inputTokens()).isEqualTo(120 - 64);
      assertThat(first.usage().cacheReadInputTokens()).contains(64L);
      JsonObject sent1 = upstream.takeRequest().body();
      assertThat(sent1.getString("model")).isEqualTo("qwen3-coder");
      assertThat(sent1.getJsonArray("tools").getJsonObject(0).getJsonObject("function").getString("name"))
          .isEqualTo("get_weather");
      assertThat(sent1.getJsonArray("messages").getJsonObject(0).getString("role")).isEqualTo("system");

      upstream.script(ScriptedAnswer.plainText());
      MessageCreateParams turn2 = turn1
          .addMessage(first)
          .addUserMessageOfContentBlockParams(List.of(ContentBlockParam.ofToolResult(ToolResultBlockParam.builder()
              .toolUseId(toolUse.id()).content("18 degrees and sunny").build())))
          .build();
      Message second = send(client, turn2, stream);
      assertThat(second.stopReason()).contains(StopReason.END_TURN);
      assertThat(second.content().get(0).text().orElseThrow().text()).isEqualTo("The capital of France is Paris.");
      JsonArray messages = upstream.takeRequest().body().getJsonArray("messages");
      // system, user, assistant(tool_calls), tool
      assertThat(messages).hasSize(4);
      JsonObject assistant = messages.getJsonObject(2);
      assertThat(assistant.getString("role")).isEqualTo("assistant");
      assertThat(assistant.getJsonArray("tool_calls").getJsonObject(0).getString("id")).isEqualTo("call_weather_1");
      JsonObject tool = messages.getJsonObject(3);
      assertThat(tool.getString("role")).isEqualTo("tool");
      assertThat(tool.getString("tool_call_id")).isEqualTo("call_weather_1");
      assertThat(tool.getValue("content").toString()).contains("18 degrees and sunny");

      List<Span> spans = gw.awaitSpans("loop", 2);
      assertThat(spans).extracting(Span::sequenceId).containsExactly(1L, 2L);
      for (Span s : spans) {
        assertThat(s.frontendProtocol()).isEqualTo("anthropic");
        assertThat(s.provider()).isEqualTo("openai");
        assertThat(s.request().path("model").asText()).isEqualTo("claude-sonnet-4-5-20250929");
        assertThat(s.upstreamRequest().path("model").asText()).isEqualTo("qwen3-coder");
        assertThat(s.upstreamRequest().has("messages")).isTrue();
        assertThat(s.response().path("type").asText()).isEqualTo("message");
      }
      JsonNode firstResponse = spans.get(0).response();
      assertThat(firstResponse.path("content").get(0).path("type").asText()).isEqualTo("tool_use");
      assertThat(spans.get(0).usage().inputTokens()).isEqualTo(120L);
      assertThat(spans.get(0).usage().cacheReadInputTokens()).isEqualTo(64L);
    }
  }

  private static Message send(AnthropicClient client, MessageCreateParams params, boolean stream) {
    if (!stream) {
      return client.messages().create(params);
    }
    MessageAccumulator acc = MessageAccumulator.create();
    try (StreamResponse<RawMessageStreamEvent> events = client.messages().createStreaming(params)) {
      events.stream().forEach(acc::accumulate);
    }
    return acc.message();
  }
}
