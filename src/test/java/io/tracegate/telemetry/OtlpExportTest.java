package io.tracegate.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.trace.v1.Status;
import io.tracegate.config.BackendConfig;
import io.tracegate.config.OtlpConfig;
import io.tracegate.config.Provider;
import io.tracegate.config.StoreConfig;
import io.tracegate.config.TelemetryConfig;
import io.tracegate.testing.OtlpCollector;
import io.tracegate.testing.OtlpGrpcReceiver;
import io.tracegate.testing.OtlpReceiver;
import io.tracegate.testing.ScriptedUpstream;
import io.tracegate.testing.TestGateway;
import io.tracegate.trace.Span;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * OTLP export through a running gateway to an in-test collector that decodes the real protobuf payload, over
 * each protocol (OTLP/HTTP to {@link OtlpReceiver}, OTLP/gRPC to grpc-java's server in {@link OtlpGrpcReceiver},
 * where the headers arrive as gRPC metadata): one span per request (errors and rewards included) with the stored ids, the client's parent, kind,
 * name, GenAI and tracegate attributes and status; the conversation only when {@code content: true}.
 */
class OtlpExportTest {
  private static final String CLIENT_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String CLIENT_PARENT = "00f067aa0ba902b7";
  private static final String TRACEPARENT = "00-" + CLIENT_TRACE + "-" + CLIENT_PARENT + "-01";
  private static final String CHAT = "{\"model\":\"%s\",\"max_tokens\":64,\"temperature\":0.5,"
      + "\"messages\":[{\"role\":\"system\",\"content\":\"Be brief.\"},{\"role\":\"user\",\"content\":\"%s\"}]}";
  private static final String MESSAGES = "{\"model\":\"%s\",\"max_tokens\":64,\"system\":\"Be terse.\","
      + "\"messages\":[{\"role\":\"user\",\"content\":\"%s\"}]}";

  @TempDir Path dir;
  private OtlpCollector collector;
  private ScriptedUpstream upstream;
  private TestGateway gw;

  private void start(OtlpConfig.Protocol protocol, boolean content) throws Exception {
    boolean grpc = protocol == OtlpConfig.Protocol.GRPC;
    collector = grpc ? new OtlpGrpcReceiver() : new OtlpReceiver();
    upstream = new ScriptedUpstream();
    Map<String, BackendConfig> models = new LinkedHashMap<>();
    models.put("gpt-test", TestGateway.openAi(upstream.openAiBaseUrl(), "backend-gpt"));
    BackendConfig b = TestGateway.openAi(upstream.anthropicBaseUrl(), "backend-claude");
    models.put("claude-test", new BackendConfig(null, Provider.ANTHROPIC, b.baseUrl(), b.model(), b.apiKey(),
        b.capture(), b.connectTimeout(), b.responseTimeout(), b.idleTimeout()));
    Map<String, String> headers = Map.of("authorization", "Bearer otlp-secret");
    TelemetryConfig telemetry = new TelemetryConfig("tracegate-test", grpc
        ? OtlpConfig.grpc(collector.endpoint(), headers, content)
        : new OtlpConfig(OtlpConfig.tracesUrl(collector.endpoint()), headers, content));
    gw = TestGateway.start(TestGateway.config(StoreConfig.sqlite(dir.resolve("otlp.db").toString()), 1 << 20,
        models).withTelemetry(telemetry));
  }

  @AfterEach
  void stop() throws Exception {
    if (gw != null) {
      gw.close();
    }
    if (upstream != null) {
      upstream.close();
    }
    if (collector != null) {
      collector.close();
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(OtlpConfig.Protocol.class)
  void everyRecordedSpanIsExportedOnceWithTheStoredIdsAndGenAiAttributes(OtlpConfig.Protocol protocol) throws Exception {
    start(protocol, false);
    String rollout = "/rollout/otlp-r1/attempt/a1";
    HttpResponse<String> withParent = gw.post(rollout + "/v1/chat/completions",
        CHAT.formatted("gpt-test", "capital of France?"), "traceparent", TRACEPARENT);
    assertThat(withParent.statusCode()).as(withParent.body()).isEqualTo(200);
    HttpResponse<String> anthropic = gw.post(rollout + "/v1/messages", MESSAGES.formatted("claude-test", "hi"),
        "anthropic-version", "2023-06-01");
    assertThat(anthropic.statusCode()).as(anthropic.body()).isEqualTo(200);
    upstream.failWith(500, "{\"error\":{\"message\":\"model server on fire\",\"type\":\"server_error\"}}");
    HttpResponse<String> failed = gw.post(rollout + "/v1/chat/completions", CHAT.formatted("gpt-test", "again"));
    upstream.failWith(0, null);
    assertThat(failed.statusCode()).isGreaterThanOrEqualTo(500);
    List<Span> calls = gw.awaitSpans("otlp-r1", 3);
    Span first = calls.stream().filter(s -> s.sequenceId() == 1).findFirst().orElseThrow();
    HttpResponse<String> reward = gw.post("/api/rollouts/otlp-r1/rewards",
        "{\"value\":0.75,\"name\":\"tests_passed\",\"span_id\":\"" + first.spanId() + "\"}");
    assertThat(reward.statusCode()).as(reward.body()).isEqualTo(201);

    List<Span> stored = gw.awaitSpans("otlp-r1", 4);
    List<OtlpReceiver.Received> exported = collector.awaitSpans(4);
    Map<String, OtlpReceiver.Received> byId = exported.stream()
        .collect(Collectors.toMap(OtlpReceiver.Received::spanId, Function.identity()));
    assertThat(byId).as("each span exported once").hasSize(exported.size());
    assertThat(byId.keySet()).containsExactlyInAnyOrderElementsOf(stored.stream().map(Span::spanId).toList());
    for (Span s : stored) {
      OtlpReceiver.Received r = byId.get(s.spanId());
      assertThat(r.traceId()).as("trace id of " + s.name()).isEqualTo(s.traceId());
      assertThat(r.parentId()).as("parent of " + s.name()).isEqualTo(s.parentId());
      assertThat(r.span().getName()).isEqualTo(s.name());
      assertThat(r.span().getStartTimeUnixNano()).isEqualTo(s.startTimeUnixNano());
      assertThat(r.resource()).containsEntry("service.name", "tracegate-test");
      assertThat(r.headers().get("authorization")).isEqualTo("Bearer otlp-secret");
      assertThat(r.attributes()).containsEntry("tracegate.rollout_id", "otlp-r1")
          .containsEntry("tracegate.attempt_id", "a1").containsEntry("tracegate.sequence_id", s.sequenceId())
          .doesNotContainKeys("gen_ai.input.messages", "gen_ai.output.messages", "gen_ai.system_instructions");
    }

    OtlpReceiver.Received call = byId.get(first.spanId());
    assertThat(call.traceId()).isEqualTo(CLIENT_TRACE);
    assertThat(call.parentId()).isEqualTo(CLIENT_PARENT);
    assertThat(call.span().getKind()).isEqualTo(io.opentelemetry.proto.trace.v1.Span.SpanKind.SPAN_KIND_CLIENT);
    assertThat(call.span().getName()).isEqualTo("chat gpt-test");
    assertThat(call.span().getStatus().getCode()).isEqualTo(Status.StatusCode.STATUS_CODE_UNSET);
    assertThat(call.attributes())
        .containsEntry("gen_ai.operation.name", "chat")
        .containsEntry("gen_ai.provider.name", "openai")
        .containsEntry("gen_ai.request.model", "gpt-test")
        .containsEntry("gen_ai.request.max_tokens", 64L)
        .containsEntry("gen_ai.request.temperature", 0.5)
        .containsEntry("gen_ai.response.model", "backend-gpt")
        .containsEntry("gen_ai.response.finish_reasons", List.of("stop"))
        .containsEntry("gen_ai.usage.input_tokens", 25L)
        .containsEntry("gen_ai.usage.output_tokens", 8L)
        .containsEntry("tracegate.backend", first.backend())
        .containsEntry("tracegate.backend.model", "backend-gpt")
        .containsEntry("tracegate.status", "ok")
        .containsKey("gen_ai.response.id");

    Span claude = stored.stream().filter(s -> "claude-test".equals(s.frontendModel())).findFirst().orElseThrow();
    OtlpReceiver.Received claudeOut = byId.get(claude.spanId());
    assertThat(claudeOut.parentId()).isNull();
    assertThat(claudeOut.attributes()).containsEntry("gen_ai.provider.name", "anthropic")
        .containsEntry("gen_ai.usage.input_tokens", claude.usage().inputTokens())
        .containsEntry("gen_ai.usage.output_tokens", claude.usage().outputTokens());

    Span error = stored.stream().filter(s -> Span.STATUS_ERROR.equals(s.status())).findFirst().orElseThrow();
    OtlpReceiver.Received errorOut = byId.get(error.spanId());
    assertThat(errorOut.span().getStatus().getCode()).isEqualTo(Status.StatusCode.STATUS_CODE_ERROR);
    assertThat(errorOut.span().getStatus().getMessage()).isEqualTo(error.statusMessage()).isNotBlank();
    assertThat(errorOut.attributes()).containsEntry("tracegate.status", "error").containsKey("error.type");

    Span rewardSpan = stored.stream().filter(s -> Span.KIND_REWARD.equals(s.kind())).findFirst().orElseThrow();
    OtlpReceiver.Received rewardOut = byId.get(rewardSpan.spanId());
    assertThat(rewardOut.traceId()).as("the reward sits in its call's trace").isEqualTo(CLIENT_TRACE);
    assertThat(rewardOut.parentId()).as("under its call").isEqualTo(first.spanId());
    assertThat(rewardOut.span().getKind()).isEqualTo(io.opentelemetry.proto.trace.v1.Span.SpanKind.SPAN_KIND_INTERNAL);
    assertThat(rewardOut.span().getName()).isEqualTo("reward tests_passed");
    assertThat(rewardOut.attributes()).containsEntry("tracegate.reward.value", 0.75)
        .containsEntry("tracegate.reward.name", "tests_passed")
        .containsEntry("tracegate.reward.span_id", first.spanId())
        .containsEntry("tracegate.span.kind", "reward");

    // the collector keeps the spans before it answers; the export counts them once the answer arrived
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (gw.metric("tracegate_otlp_spans_exported_total") < 4 && System.nanoTime() < deadline) {
      TimeUnit.MILLISECONDS.sleep(20);
    }
    assertThat(gw.metric("tracegate_otlp_spans_exported_total")).isEqualTo(4);
    assertThat(gw.metric("tracegate_otlp_spans_dropped_total")).isZero();
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(OtlpConfig.Protocol.class)
  void theConversationIsExportedOnlyWhenContentIsOn(OtlpConfig.Protocol protocol) throws Exception {
    start(protocol, true);
    HttpResponse<String> chat = gw.post("/v1/chat/completions", CHAT.formatted("gpt-test", "capital of France?"));
    assertThat(chat.statusCode()).as(chat.body()).isEqualTo(200);
    HttpResponse<String> messages = gw.post("/v1/messages", MESSAGES.formatted("claude-test", "say hi"),
        "anthropic-version", "2023-06-01");
    assertThat(messages.statusCode()).as(messages.body()).isEqualTo(200);

    List<OtlpReceiver.Received> exported = collector.awaitSpans(2);
    Map<String, Object> openAi = exported.stream().filter(r -> r.span().getName().equals("chat gpt-test"))
        .findFirst().orElseThrow().attributes();
    assertThat((String) openAi.get("gen_ai.input.messages")).isEqualTo(
        "[{\"role\":\"system\",\"parts\":[{\"type\":\"text\",\"content\":\"Be brief.\"}]},"
            + "{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"capital of France?\"}]}]");
    assertThat((String) openAi.get("gen_ai.output.messages")).isEqualTo(
        "[{\"role\":\"assistant\",\"parts\":[{\"type\":\"text\",\"content\":\"The capital of France is Paris.\"}],"
            + "\"finish_reason\":\"stop\"}]");
    Map<String, Object> claude = exported.stream().filter(r -> r.span().getName().equals("chat claude-test"))
        .findFirst().orElseThrow().attributes();
    assertThat((String) claude.get("gen_ai.system_instructions"))
        .isEqualTo("[{\"type\":\"text\",\"content\":\"Be terse.\"}]");
    assertThat((String) claude.get("gen_ai.input.messages"))
        .isEqualTo("[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"say hi\"}]}]");
    assertThat((String) claude.get("gen_ai.output.messages")).isEqualTo(
        "[{\"role\":\"assistant\",\"parts\":[{\"type\":\"text\",\"content\":\"The capital of France is Paris.\"}],"
            + "\"finish_reason\":\"end_turn\"}]");
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(OtlpConfig.Protocol.class)
  void closingTheGatewayExportsTheLastSpans(OtlpConfig.Protocol protocol) throws Exception {
    start(protocol, false);
    int calls = 12;
    for (int i = 0; i < calls; i++) {
      HttpResponse<String> r = gw.post("/rollout/otlp-close/attempt/1/v1/chat/completions",
          CHAT.formatted("gpt-test", "call " + i));
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }
    gw.close(); // at once: the writer drains, then the export sends what it still holds
    assertThat(collector.spans()).extracting(r -> r.attributes().get("tracegate.rollout_id"))
        .containsOnly("otlp-close").hasSize(calls);
    assertThat(gw.gateway().otlpSummary()).isEqualTo("; OTLP spans exported " + calls + ", dropped 0");
  }
}
