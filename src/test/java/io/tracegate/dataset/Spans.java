package io.tracegate.dataset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracegate.trace.Span;
import java.util.Map;

/** Spans as the gateway records them, for dataset tests. */
final class Spans {

  static final ObjectMapper JSON = new ObjectMapper();

  private Spans() {}

  static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (Exception e) {
      throw new IllegalArgumentException(text, e);
    }
  }

  /** An ok OpenAI chat call through vLLM with token ids, logprobs (one per token) and an OpenAI response. */
  static Span call(String spanId, long seq, int[] prompt, int[] response) {
    return call(spanId, "r1", "a1", seq, prompt, response, logprobs(response.length), "chatcmpl-" + spanId);
  }

  static Span call(String spanId, String rollout, String attempt, long seq, int[] prompt, int[] response,
      double[] logprobs, String responseId) {
    JsonNode request = json("{\"model\":\"agent\",\"messages\":[{\"role\":\"user\",\"content\":\"q" + seq + "\"}]}");
    JsonNode upstream = json("{\"model\":\"Qwen/Qwen3-8B\",\"return_token_ids\":true,\"logprobs\":true,"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"q" + seq + "\"}]}");
    JsonNode resp = json("{\"id\":" + (responseId == null ? "null" : "\"" + responseId + "\"")
        + ",\"object\":\"chat.completion\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
        + "\"content\":\"answer " + seq + "\"},\"finish_reason\":\"stop\"}]}");
    return new Span(spanId, "trace", null, rollout, attempt, seq, Span.KIND_LLM, "chat agent", 1_000L * seq,
        1_000L * seq + 500, null, Span.STATUS_OK, null, "openai", "agent", "openai", "vllm", "Qwen/Qwen3-8B",
        null, null, request, resp, upstream, prompt, response, logprobs, Map.of());
  }

  static double[] logprobs(int n) {
    double[] lp = new double[n];
    for (int i = 0; i < n; i++) {
      lp[i] = -0.25 * (i + 1);
    }
    return lp;
  }

  static Span reward(String spanId, long seq, double value) {
    return reward(spanId, seq, null, value, null);
  }

  static Span reward(String spanId, long seq, String name, double value, String target) {
    Span r = RewardSpans.reward("r1", "a1", seq, name, value, target, 1_000L * seq);
    return withId(r, spanId);
  }

  static Span withId(Span s, String spanId) {
    return new Span(spanId, s.traceId(), s.parentId(), s.rolloutId(), s.attemptId(), s.sequenceId(), s.kind(),
        s.name(), s.startTimeUnixNano(), s.endTimeUnixNano(), s.firstTokenTimeUnixNano(), s.status(),
        s.statusMessage(), s.frontendProtocol(), s.frontendModel(), s.provider(), s.backend(), s.backendModel(),
        s.usage(), s.costUsd(), s.request(), s.response(), s.upstreamRequest(), s.promptTokenIds(),
        s.responseTokenIds(), s.responseLogprobs(), s.attributes());
  }

  static Span withStatus(Span s, String status) {
    return new Span(s.spanId(), s.traceId(), s.parentId(), s.rolloutId(), s.attemptId(), s.sequenceId(), s.kind(),
        s.name(), s.startTimeUnixNano(), s.endTimeUnixNano(), s.firstTokenTimeUnixNano(), status,
        s.statusMessage(), s.frontendProtocol(), s.frontendModel(), s.provider(), s.backend(), s.backendModel(),
        s.usage(), s.costUsd(), s.request(), s.response(), s.upstreamRequest(), s.promptTokenIds(),
        s.responseTokenIds(), s.responseLogprobs(), s.attributes());
  }

  static Span withContent(Span s, JsonNode request, JsonNode response, JsonNode upstream) {
    return new Span(s.spanId(), s.traceId(), s.parentId(), s.rolloutId(), s.attemptId(), s.sequenceId(), s.kind(),
        s.name(), s.startTimeUnixNano(), s.endTimeUnixNano(), s.firstTokenTimeUnixNano(), s.status(),
        s.statusMessage(), s.frontendProtocol(), s.frontendModel(), s.provider(), s.backend(), s.backendModel(),
        s.usage(), s.costUsd(), request, response, upstream, s.promptTokenIds(),
        s.responseTokenIds(), s.responseLogprobs(), s.attributes());
  }

  static int[] ids(int... ids) {
    return ids;
  }
}
