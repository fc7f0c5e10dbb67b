package io.tracegate.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionContentPart;
import com.openai.models.chat.completions.ChatCompletionContentPartImage;
import com.openai.models.chat.completions.ChatCompletionContentPartText;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
import io.tracegate.config.BackendConfig;
import io.tracegate.config.Provider;
import io.tracegate.config.StoreConfig;
import io.tracegate.testing.ScriptedAnswer;
import io.tracegate.testing.ScriptedUpstream;
import io.tracegate.testing.TestGateway;
import io.tracegate.trace.Span;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The official openai-java SDK against a model served by an Anthropic backend: tools, images, streaming. */
class OpenAiClientAnthropicBackendTest {

  @Test
  void toolLoopWithImageThroughAnAnthropicBackend() throws Exception {
    try (ScriptedUpstream upstream = new ScriptedUpstream()) {
      BackendConfig b = TestGateway.openAi(upstream.anthropicBaseUrl(), "claude-sonnet-4-5");
      BackendConfig anthropic = new BackendConfig(null, Provider.ANTHROPIC, b.baseUrl(), b.model(), b.apiKey(),
          b.capture(), b.connectTimeout(), b.responseTimeout(), b.idleTimeout());
      try (TestGateway gw = TestGateway.start(TestGateway.config(StoreConfig.memory(), 1 << 20,
          Map.of("gpt-4o", anthropic)))) {
        OpenAIClient client = OpenAIOkHttpClient.builder().baseUrl(gw.url("/rollout/rev/attempt/1/v1"))
            .apiKey("sk-openai-client").maxRetries(0).build();
        ChatCompletionCreateParams.Builder turn1 = ChatCompletionCreateParams.builder()
            .model("gpt-4o")
            .maxCompletionTokens(512)
            .addSystemMessage("You are terse.")
            .addUserMessageOfArrayOfContentParts(List.of(
                ChatCompletionContentPart.ofText(ChatCompletionContentPartText.builder().text("What city is this?").build()),
                ChatCompletionContentPart.ofImageUrl(ChatCompletionContentPartImage.builder()
                    .imageUrl(ChatCompletionContentPartImage.ImageUrl.builder()
                        .url("data:image/png;base64,iVBORw0KGgo=").build()).build())))
            .addFunctionTool(FunctionDefinition.builder().name("get_weather").description("Weather by city")
                .parameters(FunctionParameters.builder()
                    .putAdditionalProperty("type", JsonValue.from("object"))
                    .putAdditionalProperty("properties", JsonValue.from(Map.of("city", Map.of("type", "string"))))
                    .build())
                .build());

        upstream.script(ScriptedAnswer.oneToolCall());
        ChatCompletion first = client.chat().completions().create(turn1.build());
        assertThat(first.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
        ChatCompletionMessageFunctionToolCall call = first.choices().get(0).message().toolCalls().orElseThrow().get(0)
            .asFunction();
        assertThat(call.id()).isEqualTo("call_weather_1");
        assertThat(call.function().name()).isEqualTo("get_weather");
        assertThat(new JsonObject(call.function().arguments())).isEqualTo(new JsonObject("{\"city\":\"Paris\",\"unit\":\"celsius\"}"));
        assertThat(first.usage().orElseThrow().promptTokens()).isEqualTo(120);
        assertThat(first.usage().orElseThrow().promptTokensDetails().orElseThrow().cachedTokens()).contains(64L);

        JsonObject sent = upstream.takeRequest().body();
        assertThat(sent.getString("model")).isEqualTo("claude-sonnet-4-5");
        assertThat(sent.getValue("system").toString()).contains("You are terse.");
        assertThat(sent.getInteger("max_tokens")).isEqualTo(512);
        JsonArray content = sent.getJsonArray("messages").getJsonObject(0).getJsonArray("content");
        assertThat(content.getJsonObject(1).getString("type")).isEqualTo("image");
        assertThat(content.getJsonObject(1).getJsonObject("source").getString("media_type")).isEqualTo("image/png");
        assertThat(sent.getJsonArray("tools").getJsonObject(0).getString("name")).isEqualTo("get_weather");
        assertThat(sent.getJsonArray("tools").getJsonObject(0).getJsonObject("input_schema").getString("type"))
            .isEqualTo("object");

        upstream.script(ScriptedAnswer.plainText());
        ChatCompletionCreateParams turn2 = turn1
            .addMessage(first.choices().get(0).message())
            .addMessage(ChatCompletionToolMessageParam.builder().toolCallId(call.id()).content("18C, sunny").build())
            .build();
        StringBuilder text = new StringBuilder();
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(turn2)) {
          stream.stream().forEach(c -> c.choices().forEach(ch -> ch.delta().content().ifPresent(text::append)));
        }
        assertThat(text.toString()).isEqualTo("The capital of France is Paris.");
        JsonArray messages = upstream.takeRequest().body().getJsonArray("messages");
        assertThat(messages).hasSize(3);
        JsonObject assistant = messages.getJsonObject(1);
        assertThat(assistant.getString("role")).isEqualTo("assistant");
        assertThat(assistant.getJsonArray("content").stream().map(o -> ((JsonObject) o).getString("type")))
            .contains("tool_use");
        JsonObject toolResult = messages.getJsonObject(2).getJsonArray("content").getJsonObject(0);
        assertThat(toolResult.getString("type")).isEqualTo("tool_result");
        assertThat(toolResult.getString("tool_use_id")).isEqualTo("call_weather_1");

        List<Span> spans = gw.awaitSpans("rev", 2);
        assertThat(spans).allSatisfy(s -> {
          assertThat(s.frontendProtocol()).isEqualTo("openai");
          assertThat(s.provider()).isEqualTo("anthropic");
          assertThat(s.response().path("object").asText()).isEqualTo("chat.completion");
        });
        assertThat(spans.get(1).response().path("choices").get(0).path("message").path("content").asText())
            .isEqualTo("The capital of France is Paris.");
      }
    }
  }
}
