package io.tracegate.server;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.core.StreamWriteConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.tracegate.store.SpanPage;
import io.tracegate.store.ThrottledLog;
import io.tracegate.trace.PlainDecimals;
import io.tracegate.trace.Span;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Spans as JSON for the API and the CLI, never failing: a span that cannot be rendered (a body nested deeper
 * than an answer may be, an attribute Jackson cannot write) is rendered degraded and the failure is logged
 * (throttled). Degraded means: each body (or the attributes) that does not render is replaced by its JSON text
 * as a string, and a {@code render_error} object says why and which fields. If even that fails, only the
 * span's ids, kind and status are sent, with the {@code render_error}.
 *
 * <p>Answers nest at most {@link #MAX_DEPTH} levels, the default read limit of Jackson 2.x (and the order of
 * Python's recursion limit), so any client with default settings can parse them: a span is rendered at most
 * {@code MAX_DEPTH - 2} levels deep, room for the page object and its {@code spans} array around it.
 */
public final class SpanJson {
  /** Deepest nesting of any API answer. */
  public static final int MAX_DEPTH = 1000;
  /** Deepest nesting of one span, standalone or in a page. */
  static final int SPAN_DEPTH = MAX_DEPTH - 2;

  private static final System.Logger LOG = System.getLogger(SpanJson.class.getName());
  private static final ThrottledLog FAILURES =
      new ThrottledLog(LOG, TimeUnit.SECONDS.toNanos(10), System::nanoTime);
  private static final ObjectWriter SPAN = writer(SPAN_DEPTH);
  /** A body or the attributes inside a span: one level down. */
  private static final ObjectWriter FIELD = writer(SPAN_DEPTH - 1);
  /** The text of a field too deep for {@link #FIELD}: trees read back from a store are at most ~1000 deep. */
  private static final ObjectWriter TEXT = writer(Integer.MAX_VALUE);
  private static final byte[] PAGE_START = "{\"spans\":[".getBytes(StandardCharsets.UTF_8);

  private SpanJson() {}

  /** One span's JSON; never throws for a span's content. */
  public static byte[] span(Span s) {
    try {
      return SPAN.writeValueAsBytes(s);
    } catch (Exception | StackOverflowError e) {
      return degraded(s, e);
    }
  }

  /** {@code {"spans": [...], "next_cursor": ...}}, each span rendered by {@link #span}. */
  static Buffer page(SpanPage page) {
    Buffer out = Buffer.buffer(4096).appendBytes(PAGE_START);
    boolean first = true;
    for (Span s : page.spans()) {
      if (!first) {
        out.appendByte((byte) ',');
      }
      first = false;
      out.appendBytes(span(s));
    }
    String cursor = page.nextCursor();
    return out.appendString("],\"next_cursor\":").appendBytes(ApiJson.encode(cursor).getBytes())
        .appendByte((byte) '}');
  }

  /** Why a span was degraded and which of its fields are sent as JSON text. */
  record RenderError(String message, @JsonProperty("as_text") List<String> asText) {}

  /** A span with its {@code render_error}; the span's own fields keep their names. */
  record DegradedSpan(@JsonUnwrapped Span span, @JsonProperty("render_error") RenderError renderError) {}

  private static byte[] degraded(Span s, Throwable cause) {
    String why = cause.getMessage() == null ? cause.getClass().getSimpleName() : firstLine(cause.getMessage());
    // no stack trace: a nesting failure's is a thousand frames of the same serializer
    FAILURES.warn("span " + s.spanId() + " cannot be rendered as JSON, sending it degraded ("
        + cause.getClass().getSimpleName() + "): " + why, null);
    List<String> asText = new ArrayList<>();
    JsonNode request = field("request", s.request(), asText);
    JsonNode response = field("response", s.response(), asText);
    JsonNode upstreamRequest = field("upstream_request", s.upstreamRequest(), asText);
    Map<String, Object> attributes = s.attributes();
    if (!renders(attributes)) {
      asText.add("attributes");
      attributes = Map.of("tracegate.attributes_text", text(attributes));
    }
    Span lighter = new Span(s.spanId(), s.traceId(), s.parentId(), s.rolloutId(), s.attemptId(), s.sequenceId(),
        s.kind(), s.name(), s.startTimeUnixNano(), s.endTimeUnixNano(), s.firstTokenTimeUnixNano(), s.status(),
        s.statusMessage(), s.frontendProtocol(), s.frontendModel(), s.provider(), s.backend(), s.backendModel(),
        s.usage(), s.costUsd(), request, response, upstreamRequest, s.promptTokenIds(), s.responseTokenIds(),
        s.responseLogprobs(), s.modelVersion(), s.attempts(), attributes);
    RenderError error = new RenderError(why, asText);
    try {
      return SPAN.writeValueAsBytes(new DegradedSpan(lighter, error));
    } catch (Exception | StackOverflowError e) {
      return minimal(s, error);
    }
  }

  /** The field as it is when it renders at its depth, else its JSON text. */
  private static JsonNode field(String name, JsonNode body, List<String> asText) {
    if (body == null || renders(body)) {
      return body;
    }
    asText.add(name);
    return TextNode.valueOf(text(body));
  }

  private static boolean renders(Object value) {
    try {
      FIELD.writeValueAsBytes(value);
      return true;
    } catch (Exception | StackOverflowError e) {
      return false;
    }
  }

  private static String text(Object value) {
    try {
      return TEXT.writeValueAsString(value);
    } catch (Exception | StackOverflowError e) {
      return "(cannot be rendered: " + e + ")";
    }
  }

  private static byte[] minimal(Span s, RenderError error) {
    ObjectNode out = ApiJson.MAPPER.createObjectNode()
        .put("span_id", s.spanId()).put("trace_id", s.traceId())
        .put("rollout_id", s.rolloutId()).put("attempt_id", s.attemptId())
        .put("sequence_id", s.sequenceId()).put("kind", s.kind()).put("status", s.status());
    out.putObject("render_error").put("message", error.message() + "; only the span's ids are sent");
    return ApiJson.encode(out).getBytes();
  }

  private static String firstLine(String message) {
    int end = message.indexOf('\n');
    return end < 0 ? message : message.substring(0, end);
  }

  private static ObjectWriter writer(int maxDepth) {
    ObjectMapper mapper = new ObjectMapper(PlainDecimals.builder()
        .streamWriteConstraints(StreamWriteConstraints.builder().maxNestingDepth(maxDepth).build()).build())
        .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
    return mapper.writer();
  }
}
