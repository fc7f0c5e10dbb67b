package io.tracegate.trace;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;
import java.util.Map;

/**
 * One recorded call (kind "llm") or event (kind "reward", "annotation"). This is both the stored record
 * and the JSON shape of the HTTP API (snake_case field names). See docs/spans.md.
 *
 * <p>Arrays are not copied: a Span is built once by the recorder and never mutated afterwards.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.ALWAYS)
public record Span(
    String spanId,
    String traceId,
    String parentId,
    String rolloutId,
    String attemptId,
    Long sequenceId,
    String kind,
    String name,
    long startTimeUnixNano,
    long endTimeUnixNano,
    Long firstTokenTimeUnixNano,
    String status,
    String statusMessage,
    String frontendProtocol,
    String frontendModel,
    String provider,
    String backend,
    String backendModel,
    Usage usage,
    Double costUsd,
    JsonNode request,
    JsonNode response,
    JsonNode upstreamRequest,
    int[] promptTokenIds,
    int[] responseTokenIds,
    double[] responseLogprobs,
    String modelVersion,
    List<UpstreamAttempt> attempts,
    Map<String, Object> attributes) {

  public static final String KIND_LLM = "llm";
  public static final String KIND_REWARD = "reward";
  public static final String KIND_ANNOTATION = "annotation";

  public static final String STATUS_OK = "ok";
  public static final String STATUS_ERROR = "error";
  public static final String STATUS_CANCELLED = "cancelled";

  public Span {
    attempts = attempts == null ? null : List.copyOf(attempts);
    attributes = attributes == null ? Map.of() : attributes;
  }

  /**
   * A span without a policy version and without upstream attempts ({@code model_version} and {@code attempts}
   * null): what reward and annotation spans are, and what spans written before those fields read back as.
   */
  public Span(String spanId, String traceId, String parentId, String rolloutId, String attemptId, Long sequenceId,
      String kind, String name, long startTimeUnixNano, long endTimeUnixNano, Long firstTokenTimeUnixNano,
      String status, String statusMessage, String frontendProtocol, String frontendModel, String provider,
      String backend, String backendModel, Usage usage, Double costUsd, JsonNode request, JsonNode response,
      JsonNode upstreamRequest, int[] promptTokenIds, int[] responseTokenIds, double[] responseLogprobs,
      Map<String, Object> attributes) {
    this(spanId, traceId, parentId, rolloutId, attemptId, sequenceId, kind, name, startTimeUnixNano,
        endTimeUnixNano, firstTokenTimeUnixNano, status, statusMessage, frontendProtocol, frontendModel, provider,
        backend, backendModel, usage, costUsd, request, response, upstreamRequest, promptTokenIds,
        responseTokenIds, responseLogprobs, null, null, attributes);
  }
}
