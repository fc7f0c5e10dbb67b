package io.tracegate.trace;

import io.tracegate.protocol.json.JsonLimits;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tracegate.protocol.openai.CaptureFields;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Turns the raw facts of one call ({@link Exchange}) into its {@link Span}: parses the bodies, assembles a
 * stream into the equivalent non-stream response, normalises usage, prices it and fills the GenAI
 * attributes. Runs on the writer thread, never on an event loop. Thread-safe (stateless).
 */
public final class Recorder {
  private static final ObjectMapper JSON = JsonLimits.mapper();
  private final CostCalculator costs;

  public Recorder(CostCalculator costs) {
    this.costs = costs;
  }

  public Span build(Exchange e) {
    String operation = operationOf(e.endpoint());
    // request bodies are stored as received (validated by the request path), not parsed and re-serialised;
    // one cut at the recording cap is kept as text
    JsonNode request = e.requestTruncated() ? text(e.request())
        : e.requestIsJson() ? RawJson.of(e.request()) : parse(e.request());
    JsonNode upstreamRequest = e.upstreamRequest() == null ? null
        : e.upstreamRequestTruncated() ? text(e.upstreamRequest()) : RawJson.of(e.upstreamRequest());
    String backendProtocol = e.backendProtocol() == null ? e.frontendProtocol() : e.backendProtocol();
    boolean whole = e.upstreamData().isEmpty();
    boolean translatedAnswer = e.translated() && Span.STATUS_OK.equals(e.status());
    boolean hidden = e.hidesTokenIds() || e.hidesLogprobs();
    JsonNode upstreamResponse;
    JsonNode response;
    if (whole && e.upstreamBodyTruncated()) {
      // too large to keep: the facts come from its top-level members, the client view is its beginning
      upstreamResponse = ResponseOutline.parse(e.upstreamBodyFacts());
      response = text(e.upstreamBody());
    } else {
      // a whole answer stored as received is read only for the span's facts: its outline is enough
      upstreamResponse = !whole ? StreamAssembly.assemble(e.upstreamData(), backendProtocol, operation)
          : translatedAnswer || hidden ? parse(e.upstreamBody()) : ResponseOutline.parse(e.upstreamBody());
      response = clientView(e, upstreamResponse, whole, translatedAnswer, hidden);
    }
    JsonNode usageNode = upstreamResponse == null ? null : upstreamResponse.get("usage");
    Usage usage = "anthropic".equals(backendProtocol)
        ? UsageNormalizer.fromAnthropic(usageNode) : UsageNormalizer.fromOpenAi(usageNode);
    TokenCapture tokens = TokenCapture.from(upstreamResponse);
    if (e.streamTruncated()) {
      // the middle of the stream is gone: partial response ids must never reach a training set
      tokens = new TokenCapture(tokens.promptTokenIds(), null, null);
    }
    Double cost = costs.cost(usage, e.backendModel(), e.frontendModel());
    return new Span(
        e.spanId(),
        e.traceId(),
        e.parentId(),
        e.rolloutId(),
        e.attemptId(),
        e.sequenceId(),
        Span.KIND_LLM,
        e.frontendModel() == null ? operation : operation + " " + e.frontendModel(),
        e.startUnixNano(),
        e.endUnixNano(),
        e.firstTokenUnixNano(),
        e.status(),
        e.statusMessage(),
        e.frontendProtocol(),
        e.frontendModel(),
        e.provider(),
        e.backendName(),
        e.backendModel(),
        usage,
        cost,
        request,
        response,
        upstreamRequest,
        tokens.promptTokenIds(),
        tokens.responseTokenIds(),
        tokens.responseLogprobs(),
        e.modelVersion(),
        e.attempts(),
        attributes(e, operation,
            RawJson.isRaw(response) || e.upstreamBodyTruncated() ? upstreamResponse : response, usage));
  }

  private static JsonNode clientView(Exchange e, JsonNode upstreamResponse, boolean whole, boolean translatedAnswer,
      boolean hidden) {
    if (translatedAnswer && upstreamResponse != null && upstreamResponse.isObject()) {
      return StreamAssembly.translate(upstreamResponse, e.frontendProtocol(), e.frontendModel());
    }
    if (hidden && upstreamResponse instanceof ObjectNode o) {
      ObjectNode view = o.deepCopy();
      CaptureFields.stripInPlace(view, e.hidesTokenIds(), e.hidesLogprobs());
      return view;
    }
    if (whole && upstreamResponse != null && upstreamResponse.isContainerNode()) {
      return RawJson.of(e.upstreamBody());
    }
    return upstreamResponse;
  }

  /** The beginning of a body cut at the recording cap, as a JSON string (a split character becomes U+FFFD). */
  private static JsonNode text(byte[] head) {
    return TextNode.valueOf(new String(head, StandardCharsets.UTF_8));
  }

  static String operationOf(String endpoint) {
    return endpoint != null && endpoint.endsWith("/completions") && !endpoint.endsWith("/chat/completions")
        ? GenAiAttributes.OPERATION_TEXT_COMPLETION
        : GenAiAttributes.OPERATION_CHAT;
  }

  /** Parses JSON; a body that is not JSON is kept as a string node; an absent one is null. */
  static JsonNode parse(byte[] body) {
    if (body == null || body.length == 0) {
      return null;
    }
    try {
      return JSON.readTree(body);
    } catch (IOException notJson) {
      return TextNode.valueOf(new String(body, StandardCharsets.UTF_8));
    }
  }

  private static Map<String, Object> attributes(Exchange e, String operation, JsonNode response, Usage usage) {
    Map<String, Object> a = new LinkedHashMap<>();
    a.put(GenAiAttributes.OPERATION_NAME, operation);
    if (e.provider() != null) {
      a.put(GenAiAttributes.PROVIDER_NAME, e.provider());
    }
    putIfPresent(a, GenAiAttributes.REQUEST_MODEL, e.frontendModel());
    a.put(GenAiAttributes.REQUEST_STREAM, e.stream());
    if (e.requestIsJson()) {
      RequestParameters p = e.requestParametersBeforeCap() != null ? e.requestParametersBeforeCap()
          : e.requestMembers() == null
          ? RequestParameters.scan(e.request()) : RequestParameters.of(e.request(), e.requestMembers());
      putIfPresent(a, GenAiAttributes.REQUEST_MAX_TOKENS, p.maxTokens());
      putIfPresent(a, GenAiAttributes.REQUEST_TEMPERATURE, p.temperature());
      putIfPresent(a, GenAiAttributes.REQUEST_TOP_P, p.topP());
      putIfPresent(a, GenAiAttributes.REQUEST_CHOICE_COUNT, p.choiceCount());
    }
    if (response != null && response.isObject()) {
      putIfPresent(a, GenAiAttributes.RESPONSE_ID, text(response.get("id")));
      putIfPresent(a, GenAiAttributes.RESPONSE_MODEL, text(response.get("model")));
      FinishReasons.of(response).ifPresent(r -> a.put(GenAiAttributes.RESPONSE_FINISH_REASONS, r));
    }
    if (e.firstTokenUnixNano() != null) {
      a.put(GenAiAttributes.RESPONSE_TIME_TO_FIRST_CHUNK, (e.firstTokenUnixNano() - e.startUnixNano()) / 1e9);
    }
    if (usage != null) {
      putIfPresent(a, GenAiAttributes.USAGE_INPUT_TOKENS, usage.inputTokens());
      putIfPresent(a, GenAiAttributes.USAGE_OUTPUT_TOKENS, usage.outputTokens());
      putIfPresent(a, GenAiAttributes.USAGE_CACHE_READ_INPUT_TOKENS, usage.cacheReadInputTokens());
      putIfPresent(a, GenAiAttributes.USAGE_CACHE_CREATION_INPUT_TOKENS, usage.cacheCreationInputTokens());
      putIfPresent(a, GenAiAttributes.USAGE_CACHE_WRITE_INPUT_TOKENS, usage.cacheCreationInputTokens());
      putIfPresent(a, GenAiAttributes.USAGE_REASONING_OUTPUT_TOKENS, usage.reasoningTokens());
    }
    putIfPresent(a, GenAiAttributes.ERROR_TYPE, e.errorType());
    putIfPresent(a, GenAiAttributes.TG_ENDPOINT, e.endpoint());
    putIfPresent(a, GenAiAttributes.TG_UPSTREAM_STATUS, e.upstreamStatus());
    if (e.httpStatus() > 0) {
      a.put(GenAiAttributes.TG_HTTP_STATUS, e.httpStatus());
    }
    putIfPresent(a, GenAiAttributes.TG_BACKEND_URL, e.backendBaseUrl());
    a.putAll(e.extraAttributes());
    truncation(a, e);
    if (e.stream()) {
      a.put(GenAiAttributes.TG_STREAM_CHUNKS, e.streamPayloads());
      a.put(GenAiAttributes.TG_USAGE_INJECTED, e.usageInjected());
    }
    return a;
  }

  /** Marks each body the span keeps only the beginning of, with its full size in bytes. */
  private static void truncation(Map<String, Object> a, Exchange e) {
    if (e.requestTruncated()) {
      a.put(GenAiAttributes.TG_REQUEST_TRUNCATED, true);
      a.put(GenAiAttributes.TG_REQUEST_SIZE, (long) e.requestSize());
    }
    if (e.upstreamRequestTruncated()) {
      a.put(GenAiAttributes.TG_UPSTREAM_REQUEST_TRUNCATED, true);
      a.put(GenAiAttributes.TG_UPSTREAM_REQUEST_SIZE, (long) e.upstreamRequestSize());
    }
    if (e.upstreamBodyTruncated() || e.streamTruncated()) {
      a.put(GenAiAttributes.TG_RESPONSE_TRUNCATED, true);
      a.put(GenAiAttributes.TG_RESPONSE_SIZE, e.upstreamBodySize());
    }
  }

  private static String text(JsonNode n) {
    return n != null && n.isTextual() ? n.asText() : null;
  }

  private static void putIfPresent(Map<String, Object> a, String key, Object v) {
    if (v != null) {
      a.put(key, v);
    }
  }
}
