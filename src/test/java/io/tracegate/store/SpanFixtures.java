package io.tracegate.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracegate.trace.Span;
import io.tracegate.trace.UpstreamAttempt;
import io.tracegate.trace.Usage;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Spans for store tests, and an exact field-by-field comparison (arrays by content). */
public final class SpanFixtures {

  private static final ObjectMapper JSON = new ObjectMapper();

  private SpanFixtures() {}

  /** Every field set, with values that stress the encoding (unicode, extremes, NaN, -0.0). */
  public static Span full(String spanId) {
    Map<String, Object> attributes = new LinkedHashMap<>();
    attributes.put("gen_ai.operation.name", "chat");
    attributes.put("gen_ai.request.max_tokens", 4096L);
    attributes.put("gen_ai.request.temperature", 0.7);
    attributes.put("gen_ai.request.stream", true);
    attributes.put("gen_ai.response.finish_reasons", List.of("stop", "length"));
    attributes.put("tracegate.retries", 0L);
    attributes.put("tracegate.big", Long.MAX_VALUE);
    return new Span(spanId, "0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331", "rollout-1", "attempt-1",
        7L, Span.KIND_LLM, "chat claude-sonnet-4-5", 1_700_000_000_000_000_000L, 1_700_000_001_500_000_000L,
        1_700_000_000_250_000_000L, Span.STATUS_OK, "fine \u00e9\u4e2d\ud83d\ude00", "anthropic",
        "claude-sonnet-4-5", "openai", "vllm-local", "Qwen/Qwen3-Coder-30B-A3B-Instruct",
        new Usage(1200L, 345L, 1000L, 100L, 60L, 40L, 12L), 0.0123456789,
        json("{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":4096,\"stream\":true,\"temperature\":0.7,"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"h\u00e9llo \\\"q\\\" \\n \ud83d\ude00\"}],"
            + "\"metadata\":{\"user_id\":null,\"big\":12345678901234,\"neg\":-1.5e-7}}"),
        json("{\"id\":\"msg_1\",\"content\":[{\"type\":\"text\",\"text\":\"hi\"}],\"usage\":{\"input_tokens\":100}}"),
        json("{\"model\":\"Qwen\",\"return_token_ids\":true,\"logprobs\":true}"),
        new int[] {0, 1, -1, 151_643, Integer.MAX_VALUE, Integer.MIN_VALUE},
        new int[] {42, 7, 151_645},
        new double[] {-0.0, -1.25e-9, Double.NEGATIVE_INFINITY, Double.NaN, -12.5},
        "step-120 \u00e9",
        List.of(new UpstreamAttempt("vllm-a", 503, "http_503", 12L),
            new UpstreamAttempt("vllm-b", null, "connect_failed", 0L),
            new UpstreamAttempt("vllm-local", 200, null, 250L)),
        attributes);
  }

  /** Only what a span must have; every nullable field null. */
  public static Span minimal(String spanId) {
    return new Span(spanId, null, null, null, null, null, null, null, 5L, 6L, null, null, null, null, null, null,
        null, null, null, null, null, null, null, null, null, null, null);
  }

  /** A span for query and summary tests. */
  public static Span span(String spanId, String rolloutId, String attemptId, Long sequenceId, String kind,
      long start, long end, String status, Long input, Long output, Double cost) {
    Usage usage = input == null && output == null ? null : new Usage(input, output, null, null, null, null, null);
    return new Span(spanId, "t", null, rolloutId, attemptId, sequenceId, kind, kind + " m", start, end, null,
        status, null, "openai", "m", "mock", "mock", "m", usage, cost, null, null, null, null, null, null,
        Map.of());
  }

  /**
   * An agent conversation: turn k's prompt is turn k-1's prompt, then its response ids, then
   * {@code newPerTurn} new ids; each response has {@code responsePerTurn} ids and float32-exact logprobs.
   * Span ids are {@code rollout + "-t" + k} (k from 1, zero-padded), sequence ids k, start k * 1000.
   */
  public static List<Span> conversation(String rollout, int turns, int newPerTurn, int responsePerTurn, long seed) {
    java.util.Random random = new java.util.Random(seed);
    List<Span> spans = new java.util.ArrayList<>();
    int[] context = new int[0];
    for (int k = 1; k <= turns; k++) {
      int[] prompt = Arrays.copyOf(context, context.length + newPerTurn);
      for (int i = context.length; i < prompt.length; i++) {
        prompt[i] = random.nextInt(150_000);
      }
      int[] response = random.ints(responsePerTurn, 0, 150_000).toArray();
      double[] logprobs = new double[responsePerTurn];
      for (int i = 0; i < logprobs.length; i++) {
        logprobs[i] = -random.nextFloat() * 8f;
      }
      spans.add(tokens(String.format("%s-t%03d", rollout, k), rollout, "a", k, prompt, response, logprobs));
      context = Arrays.copyOf(prompt, prompt.length + response.length);
      System.arraycopy(response, 0, context, prompt.length, response.length);
    }
    return spans;
  }

  /** An llm span carrying token ids. */
  public static Span tokens(String spanId, String rollout, String attempt, long sequence, int[] prompt,
      int[] response, double[] logprobs) {
    return new Span(spanId, "t", null, rollout, attempt, sequence, Span.KIND_LLM, "chat m", sequence * 1000,
        sequence * 1000 + 500, null, Span.STATUS_OK, null, "openai", "m", "openai", "vllm", "m", null, null, null,
        null, null, prompt, response, logprobs, Map.of());
  }

  public static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  /** Asserts every record component is equal; arrays by content, doubles by bits. */
  public static void assertSameSpan(Span actual, Span expected) {
    assertThat(actual).isNotNull();
    for (RecordComponent c : Span.class.getRecordComponents()) {
      Object a = get(c, actual);
      Object e = get(c, expected);
      assertThat(Objects.deepEquals(a, e))
          .as("%s: got %s, expected %s", c.getName(), show(a), show(e))
          .isTrue();
    }
  }

  public static void assertSameSpans(List<Span> actual, List<Span> expected) {
    assertThat(actual.stream().map(Span::spanId).toList())
        .isEqualTo(expected.stream().map(Span::spanId).toList());
    for (int i = 0; i < actual.size(); i++) {
      assertSameSpan(actual.get(i), expected.get(i));
    }
  }

  private static Object get(RecordComponent c, Span span) {
    try {
      return c.getAccessor().invoke(span);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String show(Object o) {
    if (o instanceof int[] ints) {
      return Arrays.toString(ints);
    }
    if (o instanceof double[] doubles) {
      return Arrays.toString(doubles);
    }
    return o == null ? "null" : o + " (" + o.getClass().getSimpleName() + ")";
  }
}
