package io.tracegate.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.models.messages.MessageCreateParams;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.tracegate.config.StoreConfig;
import io.tracegate.testing.TestGateway;
import io.tracegate.trace.Span;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Rollout and attempt ids that are not URL-safe (a slash, spaces, non-ASCII, a literal percent sign) work
 * through the base URLs {@code POST /api/rollouts} returns, used verbatim by the official OpenAI and Anthropic
 * SDKs: each call lands in that rollout and attempt, under the decoded ids.
 */
class RolloutIdUrlTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  static TestGateway gw;

  @BeforeAll
  static void start() throws Exception {
    gw = TestGateway.start(TestGateway.config(StoreConfig.memory(), 1 << 20,
        Map.of("policy", TestGateway.mock(Set.of()))));
  }

  @AfterAll
  static void stop() {
    gw.close();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"team/run2", "run 2 (retry)", "été/日本-ü", "100%2Fdone", "q?x=1#frag", "a+b&c;d"})
  void returnedBaseUrlsRouteToTheRolloutUnderItsDecodedId(String rolloutId) throws Exception {
    String attemptId = "try/" + rolloutId.length() + " b";
    HttpResponse<String> created = gw.post("/api/rollouts",
        JSON.createObjectNode().put("rollout_id", rolloutId).put("attempt_id", attemptId).toString());
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    JsonNode c = JSON.readTree(created.body());
    assertThat(c.path("rollout_id").asText()).isEqualTo(rolloutId);
    assertThat(c.path("attempt_id").asText()).isEqualTo(attemptId);
    String openAiBase = c.path("openai_base_url").asText();
    String anthropicBase = c.path("anthropic_base_url").asText();
    assertThat(anthropicBase).startsWith(gw.url("/rollout/")).doesNotContain(" ");
    assertThat(openAiBase).isEqualTo(anthropicBase + "/v1");

    OpenAIClient openAi = OpenAIOkHttpClient.builder().baseUrl(openAiBase).apiKey("k").maxRetries(0).build();
    AnthropicClient anthropic = AnthropicOkHttpClient.builder().baseUrl(anthropicBase).apiKey("k").maxRetries(0)
        .build();
    try {
      openAi.chat().completions().create(ChatCompletionCreateParams.builder().model("policy")
          .addUserMessage("hello").maxCompletionTokens(4).build());
      anthropic.messages().create(MessageCreateParams.builder().model("policy").maxTokens(4)
          .addUserMessage("hello").build());
    } finally {
      openAi.close();
      anthropic.close();
    }

    List<Span> spans = gw.awaitSpans(rolloutId, 2);
    assertThat(spans).extracting(Span::rolloutId).containsOnly(rolloutId);
    assertThat(spans).extracting(Span::attemptId).containsOnly(attemptId);
    assertThat(spans).extracting(Span::frontendProtocol).containsExactly("openai", "anthropic");

    String segment = URLEncoder.encode(rolloutId, StandardCharsets.UTF_8).replace("+", "%20");
    HttpResponse<String> summary = gw.get("/api/rollouts/" + segment);
    assertThat(summary.statusCode()).as(summary.body()).isEqualTo(200);
    assertThat(JSON.readTree(summary.body()).path("spans").asLong()).isEqualTo(2);
    HttpResponse<String> reward = gw.post("/api/rollouts/" + segment + "/rewards", "{\"value\": 1}");
    assertThat(reward.statusCode()).as(reward.body()).isEqualTo(201);
    assertThat(JSON.readTree(reward.body()).path("attempt_id").asText()).isEqualTo(attemptId);
    HttpResponse<String> filtered = gw.get("/api/spans?rollout_id="
        + URLEncoder.encode(rolloutId, StandardCharsets.UTF_8));
    assertThat(JSON.readTree(filtered.body()).path("spans")).hasSize(3);
  }
}
