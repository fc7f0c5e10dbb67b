package io.tracegate.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracegate.config.BackendConfig;
import io.tracegate.config.StoreConfig;
import io.tracegate.testing.LargeAnswerUpstream;
import io.tracegate.testing.LargeAnswerUpstream.Answer;
import io.tracegate.testing.ScriptedUpstream;
import io.tracegate.testing.TestGateway;
import io.tracegate.trace.GenAiAttributes;
import io.tracegate.trace.Span;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What the gateway must hold whole (an answer it translates, an error answer) is bounded by the backend's
 * {@code max_buffered_response}, not by what the backend sends: past it the upstream call is cut and the client
 * gets a 502 that says so. An answer relayed as it arrives is not held, so the limit does not apply to it.
 */
class BufferedAnswerLimitTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long LIMIT = 1 << 20;
  private static final String MESSAGES = "{\"model\":\"claude-big\",\"max_tokens\":10,"
      + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
  private static final String CHAT = "{\"model\":\"gpt-big\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

  private LargeAnswerUpstream large;
  private ScriptedUpstream scripted;
  private TestGateway gw;

  @AfterEach
  void stop() throws Exception {
    if (gw != null) {
      gw.close();
    }
    if (large != null) {
      large.close();
    }
    if (scripted != null) {
      scripted.close();
    }
  }

  private static Answer chatAnswer(int textChars) {
    return new Answer("application/json",
        "{\"id\":\"chatcmpl-big\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"qwen\","
            + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"",
        "abcdefghij", textChars / 10,
        "\"},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":4,\"completion_tokens\":5,"
            + "\"total_tokens\":9}}");
  }

  private void start(String baseUrl) throws Exception {
    BackendConfig b = TestGateway.openAi(baseUrl, "qwen").withMaxBufferedResponse(LIMIT);
    gw = TestGateway.start(TestGateway.config(StoreConfig.memory(), 1 << 20,
        Map.of("claude-big", b, "gpt-big", b)));
  }

  @Test
  void aTranslatedAnswerOverTheLimitIs502AndOneUnderItPasses() throws Exception {
    large = new LargeAnswerUpstream(chatAnswer(2_000_000));
    start(large.openAiBaseUrl());

    HttpResponse<String> over = gw.post("/rollout/big/attempt/a/v1/messages", MESSAGES,
        "anthropic-version", "2023-06-01");
    assertThat(over.statusCode()).as(over.body()).isEqualTo(502);
    JsonNode error = JSON.readTree(over.body());
    assertThat(error.path("type").asText()).isEqualTo("error");
    assertThat(error.path("error").path("message").asText()).contains("max_buffered_response of 1048576 bytes");
    Span span = gw.awaitSpans("big", 1).get(0);
    assertThat(span.status()).isEqualTo(Span.STATUS_ERROR);
    assertThat(span.attributes()).containsEntry(GenAiAttributes.ERROR_TYPE, "upstream_response_too_large");

    large.answer(chatAnswer(500_000));
    HttpResponse<String> under = gw.post("/rollout/small/attempt/a/v1/messages", MESSAGES,
        "anthropic-version", "2023-06-01");
    assertThat(under.statusCode()).as("%.300s", under.body()).isEqualTo(200);
    assertThat(JSON.readTree(under.body()).path("content").path(0).path("text").asText()).hasSize(500_000);
  }

  @Test
  void anUnchangedAnswerRelayedAsItArrivesHasNoLimit() throws Exception {
    large = new LargeAnswerUpstream(chatAnswer(2_000_000));
    start(large.openAiBaseUrl());

    HttpResponse<String> r = gw.post("/rollout/relayed/attempt/a/v1/chat/completions", CHAT);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).hasSize((int) chatAnswer(2_000_000).length());
  }

  @Test
  void anErrorAnswerOverTheLimitIs502WithoutItsBody() throws Exception {
    scripted = new ScriptedUpstream();
    scripted.failWith(500, "{\"error\":{\"message\":\"" + "x".repeat(2_000_000) + "\"}}");
    start(scripted.openAiBaseUrl());

    HttpResponse<String> r = gw.post("/rollout/err/attempt/a/v1/chat/completions", CHAT);
    assertThat(r.statusCode()).isEqualTo(502);
    JsonNode error = JSON.readTree(r.body()).path("error");
    assertThat(error.path("code").asText()).isEqualTo("upstream_response_too_large");
    assertThat(r.body()).hasSizeLessThan(2_000);
    assertThat(gw.awaitSpans("err", 1).get(0).attributes())
        .containsEntry(GenAiAttributes.ERROR_TYPE, "upstream_response_too_large");
  }
}
