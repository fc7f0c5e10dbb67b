package io.tracegate.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracegate.config.BackendConfig;
import io.tracegate.config.Provider;
import io.tracegate.config.SecretRef;
import io.tracegate.config.StoreConfig;
import io.tracegate.testing.LargeAnswerUpstream;
import io.tracegate.testing.LargeAnswerUpstream.Answer;
import io.tracegate.testing.TestGateway;
import io.tracegate.trace.Span;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code store.max_recorded_body} through a running gateway and a real SQLite file: bodies larger than the
 * cap reach the client byte for byte, while the span keeps their first bytes as a JSON string, marks the
 * truncation with the full size, and still has the usage and identity found in the rest of the body.
 */
class RecordingCapTest {
  private static final int CAP = 64 * 1024;
  private static final String CHAT_PREFIX = "{\"id\":\"chatcmpl-big\",\"object\":\"chat.completion\",\"created\":1,"
      + "\"model\":\"big-model\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"";
  private static final String CHAT_SUFFIX = "\"},\"finish_reason\":\"stop\"}],"
      + "\"usage\":{\"prompt_tokens\":7,\"completion_tokens\":250000,\"total_tokens\":250007}}";

  @TempDir Path dir;
  private LargeAnswerUpstream upstream;
  private TestGateway gw;

  @AfterEach
  void stop() throws Exception {
    if (gw != null) {
      gw.close();
    }
    if (upstream != null) {
      upstream.close();
    }
  }

  private BackendConfig openAi() {
    return TestGateway.openAi("http://127.0.0.1:" + upstream.port() + "/v1", "big-model");
  }

  @Test
  void wholeOpenAiAnswerOverTheCapReachesTheClientWholeAndTheSpanKeepsItsBeginningAndUsage() throws Exception {
    Answer answer = new Answer("application/json", CHAT_PREFIX, "0123456789", 100_000, CHAT_SUFFIX);
    upstream = new LargeAnswerUpstream(answer);
    startWith(openAi());

    HttpResponse<String> r = gw.post("/rollout/cap/attempt/a/v1/chat/completions",
        "{\"model\":\"big\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body().length()).isEqualTo(answer.length());
    assertThat(sha256(r.body())).isEqualTo(answer.sha256());
    Span span = gw.awaitSpans("cap", 1).get(0);
    assertThat(span.status()).isEqualTo(Span.STATUS_OK);
    assertThat(span.response().isTextual()).as("a cut body is kept as a JSON string").isTrue();
    assertThat(span.response().asText()).hasSize(CAP).startsWith(CHAT_PREFIX);
    assertThat(span.attributes()).containsEntry("tracegate.response.truncated", true);
    assertThat(((Number) span.attributes().get("tracegate.response.size")).longValue()).isEqualTo(answer.length());
    assertThat(span.usage().inputTokens()).isEqualTo(7L);
    assertThat(span.usage().outputTokens()).as("usage after the cut is still read").isEqualTo(250_000L);
    assertThat(span.attributes()).containsEntry("gen_ai.response.id", "chatcmpl-big")
        .containsEntry("gen_ai.response.model", "big-model");
  }

  @Test
  void wholeAnthropicAnswerOverTheCapKeepsUsageAndStopReason() throws Exception {
    String prefix = "{\"id\":\"msg_big\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-big\","
        + "\"content\":[{\"type\":\"text\",\"text\":\"";
    String suffix = "\"}],\"stop_reason\":\"end_turn\",\"stop_sequence\":null,"
        + "\"usage\":{\"input_tokens\":5,\"output_tokens\":99,\"cache_read_input_tokens\":3}}";
    Answer answer = new Answer("application/json", prefix, "abcdefghij", 50_000, suffix);
    upstream = new LargeAnswerUpstream(answer);
    startWith(new BackendConfig(null, Provider.ANTHROPIC, upstream.anthropicBaseUrl(), "claude-big",
        new SecretRef(TestGateway.TEST_KEY_VAR, TestGateway.TEST_KEY), Set.of(), Duration.ofSeconds(2),
        Duration.ofSeconds(5), Duration.ofSeconds(5)));

    HttpResponse<String> r = gw.post("/rollout/cap-a/attempt/a/v1/messages",
        "{\"model\":\"big\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
        "anthropic-version", "2023-06-01");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(sha256(r.body())).isEqualTo(answer.sha256());
    Span span = gw.awaitSpans("cap-a", 1).get(0);
    assertThat(span.response().asText()).hasSize(CAP).startsWith(prefix);
    assertThat(span.attributes()).containsEntry("tracegate.response.truncated", true)
        .containsEntry("gen_ai.response.id", "msg_big")
        .containsEntry("gen_ai.response.finish_reasons", List.of("end_turn"));
    assertThat(span.usage().inputTokens()).as("input includes cache reads").isEqualTo(8L);
    assertThat(span.usage().outputTokens()).isEqualTo(99L);
  }

  @Test
  void streamOverTheCapKeepsItsEndAndDropsPartialTokenIds() throws Exception {
    String first = "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"big-model\","
        + "\"prompt_token_ids\":[1,2,3],"
        + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]}\n\n";
    String unit = "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"big-model\","
        + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"abcdefghij\"},\"finish_reason\":null,"
        + "\"token_ids\":[42]}]}\n\n";
    String last = "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"big-model\","
        + "\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"length\"}]}\n\n"
        + "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"big-model\","
        + "\"choices\":[],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":3000,\"total_tokens\":3003}}\n\n"
        + "data: [DONE]\n\n";
    Answer answer = new Answer("text/event-stream", first, unit, 3000, last);
    upstream = new LargeAnswerUpstream(answer);
    startWith(openAi());

    HttpResponse<String> r = gw.post("/rollout/cap-s/attempt/a/v1/chat/completions",
        "{\"model\":\"big\",\"stream\":true,\"stream_options\":{\"include_usage\":true},"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(sha256(r.body())).as("the client gets every frame").isEqualTo(answer.sha256());
    Span span = gw.awaitSpans("cap-s", 1).get(0);
    assertThat(span.attributes()).containsEntry("tracegate.response.truncated", true)
        .containsEntry("gen_ai.response.finish_reasons", List.of("length"));
    assertThat(((Number) span.attributes().get("tracegate.stream.chunks")).intValue()).isEqualTo(3003);
    assertThat(span.usage().outputTokens()).as("the usage chunk at the end is kept").isEqualTo(3000L);
    assertThat(span.promptTokenIds()).containsExactly(1, 2, 3);
    assertThat(span.responseTokenIds()).as("never a partial list of response ids").isNull();
    assertThat(span.response().path("choices").path(0).path("message").path("content").asText().length())
        .isLessThan(3000 * 10);
  }

  @Test
  void requestOverTheCapIsKeptAsItsBeginningWithItsSamplingParameters() throws Exception {
    Answer small = new Answer("application/json", CHAT_PREFIX, "ok", 1, CHAT_SUFFIX);
    upstream = new LargeAnswerUpstream(small);
    startWith(openAi());
    String request = "{\"model\":\"big\",\"messages\":[{\"role\":\"user\",\"content\":\"" + "x".repeat(200_000)
        + "\"}],\"max_tokens\":77,\"temperature\":0.5}";

    HttpResponse<String> r = gw.post("/rollout/cap-r/attempt/a/v1/chat/completions", request);

    assertThat(r.statusCode()).isEqualTo(200);
    Span span = gw.awaitSpans("cap-r", 1).get(0);
    assertThat(span.request().isTextual()).isTrue();
    assertThat(span.request().asText()).hasSize(CAP).isEqualTo(request.substring(0, CAP));
    assertThat(span.upstreamRequest().asText()).hasSize(CAP);
    assertThat(span.attributes()).containsEntry("tracegate.request.truncated", true)
        .containsEntry("tracegate.upstream_request.truncated", true)
        .containsEntry("gen_ai.request.temperature", 0.5);
    assertThat(((Number) span.attributes().get("tracegate.request.size")).longValue()).isEqualTo(request.length());
    assertThat(((Number) span.attributes().get("gen_ai.request.max_tokens")).longValue()).isEqualTo(77L);
    assertThat(span.response().isObject()).as("a small answer is still stored as JSON").isTrue();
    assertThat(span.attributes()).doesNotContainKey("tracegate.response.truncated");
  }

  private void startWith(BackendConfig backend) throws Exception {
    StoreConfig store = StoreConfig.sqlite(dir.resolve("cap.db").toString()).withMaxRecordedBody(CAP);
    gw = TestGateway.start(TestGateway.config(store, 32L << 20, Map.of("big", backend)));
  }

  private static String sha256(String body) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body.getBytes(StandardCharsets.UTF_8)));
  }
}
