package io.tracegate.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracegate.config.StoreConfig;
import io.tracegate.protocol.json.JsonLimits;
import io.tracegate.testing.LargeAnswerUpstream;
import io.tracegate.testing.LargeAnswerUpstream.Answer;
import io.tracegate.testing.TestGateway;
import io.tracegate.trace.Span;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Anthropic client, OpenAI-compatible backend, an answer whose text is one 25,000,000-character string: more
 * than Jackson's default 20,000,000-character limit. A valid answer is translated (no 502), whole and as one
 * stream chunk, and its span is recorded (cut at the recording cap).
 */
class LongStringTranslationTest {
  private static final int TEXT_CHARS = 25_000_000;
  private static final String UNIT = "abcdefghij";
  private static final ObjectMapper JSON = JsonLimits.mapper();

  private LargeAnswerUpstream upstream;
  private TestGateway gw;

  @BeforeEach
  void start() throws Exception {
    upstream = new LargeAnswerUpstream(new Answer("application/json", "{}", "", 0, ""));
    gw = TestGateway.start(TestGateway.config(StoreConfig.memory(), 32L << 20,
        Map.of("claude-long", TestGateway.openAi(upstream.openAiBaseUrl(), "qwen-long"))));
  }

  @AfterEach
  void stop() throws Exception {
    gw.close();
    upstream.close();
  }

  @Test
  void wholeAnswerWithA25MbStringIsTranslated() throws Exception {
    upstream.answer(new Answer("application/json",
        "{\"id\":\"chatcmpl-long\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"qwen-long\","
            + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"",
        UNIT, TEXT_CHARS / UNIT.length(),
        "\"},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":4,\"completion_tokens\":6250000,"
            + "\"total_tokens\":6250004}}"));

    HttpResponse<String> r = gw.post("/rollout/long/attempt/a/v1/messages",
        "{\"model\":\"claude-long\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
        "anthropic-version", "2023-06-01");

    assertThat(r.statusCode()).as("body: %.300s", r.body()).isEqualTo(200);
    JsonNode message = JSON.readTree(r.body());
    assertThat(message.path("type").asText()).isEqualTo("message");
    String text = message.path("content").path(0).path("text").asText();
    assertThat(text).hasSize(TEXT_CHARS).startsWith(UNIT).endsWith(UNIT);
    assertThat(message.path("usage").path("output_tokens").asLong()).isEqualTo(6_250_000L);
    Span span = gw.awaitSpans("long", 1).get(0);
    assertThat(span.status()).isEqualTo(Span.STATUS_OK);
    assertThat(span.attributes()).containsEntry("tracegate.response.truncated", true);
    assertThat(span.usage().outputTokens()).isEqualTo(6_250_000L);
  }

  @Test
  void streamChunkWithA25MbStringIsTranslated() throws Exception {
    String head = "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"qwen-long\","
        + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]}\n\n"
        + "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"qwen-long\","
        + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"";
    String tail = "\"},\"finish_reason\":null}]}\n\n"
        + "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"qwen-long\","
        + "\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n"
        + "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"qwen-long\","
        + "\"choices\":[],\"usage\":{\"prompt_tokens\":4,\"completion_tokens\":6250000,\"total_tokens\":6250004}}\n\n"
        + "data: [DONE]\n\n";
    upstream.answer(new Answer("text/event-stream", head, UNIT, TEXT_CHARS / UNIT.length(), tail));

    HttpResponse<String> r = gw.post("/rollout/long-s/attempt/a/v1/messages",
        "{\"model\":\"claude-long\",\"max_tokens\":10,\"stream\":true,"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
        "anthropic-version", "2023-06-01");

    assertThat(r.statusCode()).isEqualTo(200);
    long textChars = 0;
    boolean stopped = false;
    for (String frame : r.body().split("\n\n")) {
      int data = frame.indexOf("data: ");
      if (data < 0) {
        continue;
      }
      JsonNode event = JSON.readTree(frame.substring(data + 6));
      assertThat(event.path("type").asText()).as("no error event").isNotEqualTo("error");
      if (event.path("type").asText().equals("content_block_delta")) {
        textChars += event.path("delta").path("text").asText().length();
      }
      stopped |= event.path("type").asText().equals("message_stop");
    }
    assertThat(textChars).as("the 25 MB chunk reached the client").isEqualTo(TEXT_CHARS);
    assertThat(stopped).isTrue();
    Span span = gw.awaitSpans("long-s", 1).get(0);
    assertThat(span.status()).isEqualTo(Span.STATUS_OK);
    assertThat(span.usage().outputTokens()).isEqualTo(6_250_000L);
  }
}
