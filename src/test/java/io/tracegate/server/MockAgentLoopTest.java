package io.tracegate.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.JsonValue;
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
import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionMessage;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionMessageToolCall;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
import io.tracegate.config.ConfigLoader;
import io.tracegate.config.GatewayConfig;
import io.tracegate.config.StoreConfig;
import io.tracegate.testing.ClientView;
import io.tracegate.testing.SchemaCheck;
import io.tracegate.testing.TestGateway;
import io.tracegate.trace.Span;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The built-in mock as a demo backend, through the HTTP surface of a gateway running the shipped default
 * config: the official SDKs' tool loops and a Claude-Code-shaped loop finish (tool call, tool result, final
 * text), and a multi-turn vllm-mock rollout merges into one trajectory.
 */
class MockAgentLoopTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_CALLS = 5;
  private static final int IM_END = 151645;
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

  /** An openai-java function tool: the SDK derives its JSON schema from the class. */
  @JsonClassDescription("Get the current weather in a given city")
  static final class GetWeather {
    @JsonPropertyDescription("The city, e.g. Paris")
    public String city;

    @JsonPropertyDescription("The temperature unit")
    public Unit unit;
  }

  enum Unit { celsius, fahrenheit }

  private static OpenAIClient openAi(String prefix) {
    return OpenAIOkHttpClient.builder().baseUrl(gw.url(prefix + "/v1")).apiKey("dummy").maxRetries(0).build();
  }

  private static ChatCompletion create(OpenAIClient client, ChatCompletionCreateParams params, boolean stream) {
    if (!stream) {
      return client.chat().completions().create(params);
    }
    ChatCompletionAccumulator acc = ChatCompletionAccumulator.create();
    try (com.openai.core.http.StreamResponse<ChatCompletionChunk> chunks =
        client.chat().completions().createStreaming(params)) {
      chunks.stream().forEach(acc::accumulate);
    }
    return acc.chatCompletion();
  }

  /**
   * The openai-java function-calling loop: call the model, run the tools it asks for, send the results back,
   * until it answers without tool calls. Returns every completion.
   */
  private static List<ChatCompletion> openAiToolLoop(OpenAIClient client, ChatCompletionCreateParams.Builder params,
      boolean stream, String result) {
    List<ChatCompletion> completions = new ArrayList<>();
    while (completions.size() < MAX_CALLS) {
      ChatCompletion completion = create(client, params.build(), stream);
      completions.add(completion);
      ChatCompletionMessage message = completion.choices().get(0).message();
      params.addMessage(message);
      List<ChatCompletionMessageToolCall> calls = message.toolCalls().orElse(List.of());
      if (calls.isEmpty()) {
        break;
      }
      for (ChatCompletionMessageToolCall call : calls) {
        ChatCompletionMessageFunctionToolCall fn = call.asFunction();
        GetWeather args = fn.function().arguments(GetWeather.class); // the arguments fit the class
        assertThat(args.city).isNotBlank();
        assertThat(args.unit).isNotNull();
        params.addMessage(ChatCompletionToolMessageParam.builder().toolCallId(fn.id())
            .content(result + " in " + args.city).build());
      }
    }
    return completions;
  }

  @ParameterizedTest(name = "stream={0}")
  @ValueSource(booleans = {false, true})
  void openAiSdkToolLoopFinishesAfterOneToolCall(boolean stream) throws Exception {
    ChatCompletionCreateParams.Builder params = ChatCompletionCreateParams.builder().model("gpt-4o-mini")
        .addTool(GetWeather.class).addUserMessage("what's the weather like in paris today?");
    List<ChatCompletion> completions = openAiToolLoop(openAi(""), params, stream, "18 degrees and sunny");

    assertThat(completions).hasSize(2);
    ChatCompletionMessageFunctionToolCall call =
        completions.get(0).choices().get(0).message().toolCalls().orElseThrow().get(0).asFunction();
    assertThat(call.function().name()).isEqualTo("GetWeather");
    assertThat(call.function().arguments(GetWeather.class).city).isEqualTo("Paris");
    ChatCompletion.Choice last = completions.get(1).choices().get(0);
    assertThat(last.finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
    assertThat(last.message().content().orElseThrow()).contains("18 degrees and sunny in Paris");
  }

  private static Message send(AnthropicClient client, MessageCreateParams params, boolean stream) {
    if (!stream) {
      return client.messages().create(params);
    }
    MessageAccumulator acc = MessageAccumulator.create();
    try (com.anthropic.core.http.StreamResponse<RawMessageStreamEvent> events =
        client.messages().createStreaming(params)) {
      events.stream().forEach(acc::accumulate);
    }
    return acc.message();
  }

  @ParameterizedTest(name = "stream={0}")
  @ValueSource(booleans = {false, true})
  void anthropicSdkToolLoopFinishesWithEndTurn(boolean stream) throws Exception {
    AnthropicClient client = AnthropicOkHttpClient.builder().baseUrl(gw.url("/rollout/mock-an-" + stream + "/attempt/1"))
        .apiKey("dummy").maxRetries(0).build();
    Tool weather = Tool.builder().name("get_weather").description("Current weather for a city")
        .inputSchema(Tool.InputSchema.builder()
            .properties(Tool.InputSchema.Properties.builder()
                .putAdditionalProperty("city", JsonValue.from(Map.of("type", "string")))
                .putAdditionalProperty("unit", JsonValue.from(Map.of("type", "string", "enum", List.of("c", "f"))))
                .build())
            .addRequired("city").build())
        .build();
    MessageCreateParams.Builder params = MessageCreateParams.builder().model("claude-sonnet-4-5").maxTokens(1024)
        .system("You are a helpful assistant.").addTool(weather).addUserMessage("how hot is it in san francisco?");
    List<Message> messages = new ArrayList<>();
    while (messages.size() < MAX_CALLS) {
      Message message = send(client, params.build(), stream);
      messages.add(message);
      params.addMessage(message);
      List<ContentBlockParam> results = new ArrayList<>();
      for (ContentBlock block : message.content()) {
        block.toolUse().ifPresent(use -> results.add(ContentBlockParam.ofToolResult(ToolResultBlockParam.builder()
            .toolUseId(use.id()).content("21 degrees, light wind").build())));
      }
      if (results.isEmpty()) {
        break;
      }
      params.addUserMessageOfContentBlockParams(results);
    }

    assertThat(messages).hasSize(2);
    assertThat(messages.get(0).stopReason()).contains(StopReason.TOOL_USE);
    ToolUseBlock use = messages.get(0).content().stream().filter(ContentBlock::isToolUse).findFirst().orElseThrow()
        .asToolUse();
    assertThat(use.name()).isEqualTo("get_weather");
    assertThat(use._input().convert(Map.class)).isEqualTo(Map.of("city", "San Francisco"));
    Message last = messages.get(1);
    assertThat(last.stopReason()).contains(StopReason.END_TURN);
    assertThat(last.content().get(0).text().orElseThrow().text())
        .isEqualTo("The get_weather tool returned: 21 degrees, light wind.");
  }

  @Test
  void claudeCodeShapedLoopFinishes() throws Exception {
    JsonNode fixture;
    try (InputStream in = getClass().getResourceAsStream("/fixtures/claude-code-2.1.332-first-turn.json")) {
      fixture = JSON.readTree(in);
    }
    ObjectNode request = (ObjectNode) fixture.get("body").deepCopy();
    ArrayNode userBlocks = (ArrayNode) request.at("/messages/0/content");
    ((ObjectNode) userBlocks.get(0)).put("text", "<system-reminder>\nAs you answer the user's questions, you can use "
        + "the following context:\n# claudeMd\nRun the tests with mvn verify.\n</system-reminder>");
    ((ObjectNode) userBlocks.get(1)).put("text", "run echo hi");
    String[] headers = headers(fixture.get("headers"));
    String path = "/rollout/mock-cc/attempt/1/v1/messages?beta=true";

    HttpResponse<String> first = gw.post(path, JSON.writeValueAsString(request), headers);
    assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
    JsonNode turn1 = ClientView.assembleAnthropic(ClientView.ssePayloads(first.body()));
    assertThat(turn1.path("stop_reason").asText()).isEqualTo("tool_use");
    JsonNode use = null;
    for (JsonNode block : turn1.path("content")) {
      use = block.path("type").asText().equals("tool_use") ? block : use;
    }
    assertThat(use).as(turn1.toString()).isNotNull();
    assertThat(use.path("name").asText()).isEqualTo("Bash");
    assertThat(use.path("input")).isEqualTo(JSON.readTree("{\"command\":\"echo hi\"}"));
    JsonNode bashSchema = null;
    for (JsonNode tool : request.get("tools")) {
      bashSchema = tool.path("name").asText().equals("Bash") ? tool.get("input_schema") : bashSchema;
    }
    assertThat(SchemaCheck.problems(bashSchema, use.path("input"))).isEmpty();

    // Claude Code runs the command and sends its output back, as in the tool-turn fixture
    ArrayNode messages = (ArrayNode) request.get("messages");
    messages.addObject().put("role", "assistant").set("content", turn1.path("content"));
    ObjectNode result = messages.addObject().put("role", "user").putArray("content").addObject()
        .put("type", "tool_result").put("tool_use_id", use.path("id").asText()).put("content", "hi")
        .put("is_error", false);
    result.putObject("cache_control").put("type", "ephemeral");
    HttpResponse<String> second = gw.post(path, JSON.writeValueAsString(request), headers);
    assertThat(second.statusCode()).as(second.body()).isEqualTo(200);
    JsonNode turn2 = ClientView.assembleAnthropic(ClientView.ssePayloads(second.body()));
    assertThat(turn2.path("stop_reason").asText()).isEqualTo("end_turn");
    assertThat(turn2.at("/content/0/type").asText()).isEqualTo("text");
    assertThat(turn2.at("/content/0/text").asText()).isEqualTo("The Bash tool returned: hi.");
  }

  private static String[] headers(JsonNode recorded) {
    List<String> out = new ArrayList<>();
    for (Iterator<String> it = recorded.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      if (name.startsWith("anthropic-") || name.equals("x-app") || name.equals("User-Agent")) {
        out.add(name);
        out.add(recorded.get(name).asText());
      }
    }
    out.add("x-api-key");
    out.add("dummy");
    return out.toArray(String[]::new);
  }

  @ParameterizedTest(name = "stream={0}")
  @ValueSource(booleans = {false, true})
  void multiTurnVllmMockRolloutMergesIntoOneTrajectory(boolean stream) throws Exception {
    String rollout = "mock-merge-" + stream;
    OpenAIClient client = openAi("/rollout/" + rollout + "/attempt/a1");
    ChatCompletionCreateParams.Builder params = ChatCompletionCreateParams.builder().model("vllm-mock")
        .addSystemMessage("You are a weather agent.").addTool(GetWeather.class)
        .addUserMessage("what's the weather in paris?");
    assertThat(openAiToolLoop(client, params, stream, "sunny")).hasSize(2);
    params.addUserMessage("and the weather in rome, in fahrenheit?");
    assertThat(openAiToolLoop(client, params, stream, "cloudy")).hasSize(2);

    List<Span> spans = gw.awaitSpans(rollout, 4);
    assertThat(spans).allSatisfy(s -> assertThat(s.responseTokenIds()).isNotEmpty().endsWith(IM_END));

    HttpResponse<String> separate = gw.get("/api/triplets?rollout_id=" + rollout);
    assertThat(separate.statusCode()).isEqualTo(200);
    assertThat(separate.body().lines().filter(l -> !l.isBlank())).hasSize(4);

    HttpResponse<String> merged = gw.get("/api/triplets?rollout_id=" + rollout + "&merge=true");
    assertThat(merged.statusCode()).isEqualTo(200);
    List<String> lines = merged.body().lines().filter(l -> !l.isBlank()).toList();
    assertThat(lines).hasSize(1);
    JsonNode sample = JSON.readTree(lines.get(0));
    assertThat(JSON.convertValue(sample.get("prompt_token_ids"), int[].class))
        .containsExactly(spans.get(0).promptTokenIds());
    int[] mask = JSON.convertValue(sample.get("loss_mask"), int[].class);
    int[] response = JSON.convertValue(sample.get("response_token_ids"), int[].class);
    assertThat(mask).hasSameSizeAs(response).contains(0, 1);
    int generated = spans.stream().mapToInt(s -> s.responseTokenIds().length).sum();
    assertThat(java.util.Arrays.stream(mask).sum()).isEqualTo(generated);
    assertThat(response.length).isEqualTo(spans.get(3).promptTokenIds().length
        + spans.get(3).responseTokenIds().length - spans.get(0).promptTokenIds().length);
    assertThat(sample.get("response_logprobs")).hasSize(response.length);
    assertThat(sample.get("span_id").asText()).isEqualTo(spans.get(3).spanId());
  }
}
