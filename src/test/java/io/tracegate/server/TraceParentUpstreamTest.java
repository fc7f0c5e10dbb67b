package io.tracegate.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracegate.config.BackendConfig;
import io.tracegate.config.Provider;
import io.tracegate.config.StoreConfig;
import io.tracegate.testing.ScriptedUpstream;
import io.tracegate.testing.TestGateway;
import io.tracegate.trace.Span;
import io.vertx.core.MultiMap;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The upstream call carries the W3C trace context of the gateway's span on every lane (same protocol and
 * translated): {@code traceparent} with the span's trace id (the client's, when it sent one) and the gateway's
 * span id as parent, so agent -> gateway -> model server is one trace; the client's {@code tracestate} goes along.
 */
class TraceParentUpstreamTest {
  private static final String CLIENT_TRACE = "0af7651916cd43dd8448eb211c80319c";
  private static final String CLIENT_PARENT = "b7ad6b7169203331";
  private static final String OPENAI_BODY = "{\"model\":\"%s\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
  private static final String ANTHROPIC_BODY =
      "{\"model\":\"%s\",\"max_tokens\":64,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

  @TempDir static Path dir;
  static ScriptedUpstream upstream;
  static TestGateway gw;

  @BeforeAll
  static void start() throws Exception {
    upstream = new ScriptedUpstream();
    Map<String, BackendConfig> models = new LinkedHashMap<>();
    models.put("oa", TestGateway.openAi(upstream.openAiBaseUrl(), "backend-model"));
    BackendConfig b = TestGateway.openAi(upstream.anthropicBaseUrl(), "backend-model");
    models.put("an", new BackendConfig(null, Provider.ANTHROPIC, b.baseUrl(), b.model(), b.apiKey(), b.capture(),
        b.connectTimeout(), b.responseTimeout(), b.idleTimeout()));
    gw = TestGateway.start(TestGateway.config(StoreConfig.sqlite(dir.resolve("tp.db").toString()), 1 << 20,
        models));
  }

  @AfterAll
  static void stop() throws Exception {
    gw.close();
    upstream.close();
  }

  @BeforeEach
  void reset() {
    upstream.clearRequests();
  }

  /** Sends one call in its own rollout; returns the headers the upstream got and the call's stored span. */
  private static Call call(String rollout, String endpoint, String body, String... headers) throws Exception {
    HttpResponse<String> r = gw.post("/rollout/" + rollout + "/attempt/1" + endpoint, body, headers);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    MultiMap sent = upstream.takeRequest().headers();
    List<Span> spans = gw.awaitSpans(rollout, 1);
    return new Call(sent, spans.get(0));
  }

  private record Call(MultiMap upstreamHeaders, Span span) {
    String expectedTraceParent() {
      return "00-" + span.traceId() + "-" + span.spanId() + "-01";
    }
  }

  @Test
  void everyLaneSendsTheSpansTraceContextUpstream() throws Exception {
    List<Call> calls = List.of(
        call("tp-openai", "/v1/chat/completions", OPENAI_BODY.formatted("oa")),
        call("tp-anthropic", "/v1/messages", ANTHROPIC_BODY.formatted("an"), "anthropic-version", "2023-06-01"),
        call("tp-openai-to-anthropic", "/v1/chat/completions", OPENAI_BODY.formatted("an")),
        call("tp-anthropic-to-openai", "/v1/messages", ANTHROPIC_BODY.formatted("oa"),
            "anthropic-version", "2023-06-01"));
    for (Call c : calls) {
      assertThat(c.upstreamHeaders().getAll("traceparent")).as(c.span().name())
          .containsExactly(c.expectedTraceParent());
      assertThat(c.span().parentId()).isNull();
    }
  }

  @Test
  void theClientsTraceContinuesToTheModelServer() throws Exception {
    String clientHeader = "00-" + CLIENT_TRACE + "-" + CLIENT_PARENT + "-01";
    for (String[] lane : new String[][] {{"/v1/chat/completions", OPENAI_BODY.formatted("oa")},
        {"/v1/chat/completions", OPENAI_BODY.formatted("an")}}) {
      Call c = call("tp-client-" + lane[1].hashCode(), lane[0], lane[1], "traceparent", clientHeader,
          "tracestate", "vendor=abc");
      assertThat(c.span().traceId()).isEqualTo(CLIENT_TRACE);
      assertThat(c.span().parentId()).isEqualTo(CLIENT_PARENT);
      assertThat(c.upstreamHeaders().getAll("traceparent"))
          .containsExactly("00-" + CLIENT_TRACE + "-" + c.span().spanId() + "-01");
      assertThat(c.upstreamHeaders().get("tracestate")).isEqualTo("vendor=abc");
    }
  }
}
