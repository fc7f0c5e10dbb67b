package io.tracegate.dataset;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracegate.trace.Span;

/**
 * Reads what a triplet needs from an LLM span's JSON: the response id and text (OpenAI chat or completion
 * shape, or Anthropic message shape) and the conversation that was actually sent upstream.
 */
final class SpanContent {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String RESPONSE_ID_ATTRIBUTE = "gen_ai.response.id";

  private SpanContent() {}

  /** {@code response.id}, else the {@code gen_ai.response.id} attribute, else null. */
  static String responseId(Span span) {
    JsonNode response = span.response();
    if (response != null && response.path("id").isTextual() && !response.path("id").asText().isEmpty()) {
      return response.path("id").asText();
    }
    Object attr = span.attributes().get(RESPONSE_ID_ATTRIBUTE);
    return attr == null || attr.toString().isEmpty() ? null : attr.toString();
  }

  /**
   * The response's text: OpenAI chat {@code choices[0].message.content} (a string, or the text parts of an
   * array), OpenAI completion {@code choices[0].text}, or the concatenated {@code text} blocks of an
   * Anthropic message. Null when the response has no text (for example only tool calls).
   */
  static String responseText(Span span) {
    JsonNode response = span.response();
    if (response == null || !response.isObject()) {
      return null;
    }
    JsonNode choices = response.path("choices");
    if (choices.isArray()) {
      if (choices.isEmpty()) {
        return null;
      }
      JsonNode first = choices.get(0);
      JsonNode content = first.path("message").path("content");
      if (content.isMissingNode() || content.isNull()) {
        return first.path("text").isTextual() ? first.path("text").asText() : null;
      }
      return textOf(content);
    }
    JsonNode content = response.path("content");
    return content.isMissingNode() || content.isNull() ? null : textOf(content);
  }

  /**
   * Why the call stopped, as the backend said: Anthropic {@code stop_reason} or OpenAI
   * {@code choices[0].finish_reason}; null when absent.
   */
  static String stopReason(Span span) {
    JsonNode response = span.response();
    if (response == null || !response.isObject()) {
      return null;
    }
    JsonNode stop = response.path("stop_reason");
    if (!stop.isTextual()) {
      stop = response.path("choices").path(0).path("finish_reason");
    }
    return stop.isTextual() ? stop.asText() : null;
  }

  /**
   * JSON text of the messages sent to the backend: {@code upstream_request.messages}, or
   * {@code request.messages} when nothing was changed on the way (no upstream request recorded). When the
   * frontend speaks Anthropic and the backend OpenAI, the upstream request is the translated OpenAI one.
   */
  static String messages(Span span) {
    JsonNode sent = span.upstreamRequest() != null && !span.upstreamRequest().isNull()
        ? span.upstreamRequest()
        : span.request();
    if (sent == null || !sent.isObject()) {
      return null;
    }
    JsonNode messages = sent.path("messages");
    if (messages.isMissingNode() || messages.isNull()) {
      return null;
    }
    try {
      return JSON.writeValueAsString(messages);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise messages of span " + span.spanId(), e);
    }
  }

  /** A string as is; for an array of parts or blocks, the concatenation of their {@code text} fields. */
  private static String textOf(JsonNode content) {
    if (content.isTextual()) {
      return content.asText();
    }
    if (!content.isArray()) {
      return null;
    }
    StringBuilder text = new StringBuilder();
    boolean any = false;
    for (JsonNode part : content) {
      JsonNode t = part.path("text");
      String type = part.path("type").asText("text");
      if (t.isTextual() && ("text".equals(type) || "output_text".equals(type))) {
        text.append(t.asText());
        any = true;
      }
    }
    return any ? text.toString() : null;
  }
}
