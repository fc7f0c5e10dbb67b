package io.tracegate.telemetry;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanId;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceId;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.data.StatusData;
import io.tracegate.trace.Span;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Maps a recorded {@link Span} to the OTLP span it is exported as (docs/observability.md, "Attributes"): the
 * stored trace, span and parent ids; kind CLIENT for a model call (INTERNAL for a reward); name
 * {@code {operation} {model}}; the span's {@code gen_ai.*} and {@code tracegate.*} attributes plus the record's own
 * fields as {@code tracegate.*}; status ERROR with the message when the call failed. Thread-safe.
 */
final class SpanMapping {
  static final String ROLLOUT_ID = "tracegate.rollout_id";
  static final String ATTEMPT_ID = "tracegate.attempt_id";
  static final String SEQUENCE_ID = "tracegate.sequence_id";
  static final String SPAN_KIND = "tracegate.span.kind";
  static final String STATUS = "tracegate.status";
  static final String STATUS_MESSAGE = "tracegate.status_message";
  static final String COST_USD = "tracegate.cost_usd";
  static final String FRONTEND_PROTOCOL = "tracegate.frontend.protocol";
  static final String BACKEND = "tracegate.backend";
  static final String BACKEND_MODEL = "tracegate.backend.model";
  static final String MODEL_VERSION = "tracegate.model_version";
  static final String ATTEMPTS = "tracegate.attempts";
  static final String CACHE_CREATION_5M = "tracegate.usage.cache_creation_5m.input_tokens";
  static final String CACHE_CREATION_1H = "tracegate.usage.cache_creation_1h.input_tokens";

  private final Resource resource;
  private final InstrumentationScopeInfo scope;
  private final ConversationContent content;

  /** @param content the conversation attributes to add, null for none ({@code telemetry.otlp.content: false}) */
  SpanMapping(Resource resource, InstrumentationScopeInfo scope, ConversationContent content) {
    this.resource = resource;
    this.scope = scope;
    this.content = content;
  }

  /**
   * What the export needs of {@code s} while it waits in the queue: without content, a copy without the bodies,
   * token ids and logprobs, so a queued span does not keep megabytes alive past the store write (they would
   * then outlive young collections and be copied by the GC).
   */
  Span retained(Span s) {
    if (content != null) {
      return s;
    }
    return new Span(s.spanId(), s.traceId(), s.parentId(), s.rolloutId(), s.attemptId(), s.sequenceId(),
        s.kind(), s.name(), s.startTimeUnixNano(), s.endTimeUnixNano(), s.firstTokenTimeUnixNano(), s.status(),
        s.statusMessage(), s.frontendProtocol(), s.frontendModel(), s.provider(), s.backend(), s.backendModel(),
        s.usage(), s.costUsd(), null, null, null, null, null, null, s.modelVersion(), s.attempts(), s.attributes());
  }

  /** The exported form of {@code s}, or null when it has no valid ids to be exported with. */
  ExportedSpan map(Span s) {
    if (s.traceId() == null || s.spanId() == null || !TraceId.isValid(s.traceId()) || !SpanId.isValid(s.spanId())) {
      return null;
    }
    SpanContext context = SpanContext.create(s.traceId(), s.spanId(), TraceFlags.getSampled(),
        TraceState.getDefault());
    SpanContext parent = s.parentId() != null && SpanId.isValid(s.parentId())
        ? SpanContext.createFromRemoteParent(s.traceId(), s.parentId(), TraceFlags.getSampled(),
            TraceState.getDefault())
        : SpanContext.getInvalid();
    boolean call = Span.KIND_LLM.equals(s.kind());
    return new ExportedSpan(s.name(), call ? SpanKind.CLIENT : SpanKind.INTERNAL, context, parent, status(s),
        s.startTimeUnixNano(), Math.max(s.startTimeUnixNano(), s.endTimeUnixNano()), attributes(s), resource,
        scope);
  }

  private static StatusData status(Span s) {
    if (Span.STATUS_ERROR.equals(s.status())) {
      return StatusData.create(StatusCode.ERROR, s.statusMessage() == null ? "" : s.statusMessage());
    }
    return StatusData.unset();
  }

  private Attributes attributes(Span s) {
    AttributesBuilder b = Attributes.builder();
    for (Map.Entry<String, Object> e : s.attributes().entrySet()) {
      put(b, e.getKey(), e.getValue());
    }
    put(b, ROLLOUT_ID, s.rolloutId());
    put(b, ATTEMPT_ID, s.attemptId());
    put(b, SEQUENCE_ID, s.sequenceId());
    put(b, SPAN_KIND, s.kind());
    put(b, STATUS, s.status());
    if (!Span.STATUS_ERROR.equals(s.status())) {
      put(b, STATUS_MESSAGE, s.statusMessage());
    }
    put(b, COST_USD, s.costUsd());
    put(b, FRONTEND_PROTOCOL, s.frontendProtocol());
    put(b, BACKEND, s.backend());
    put(b, BACKEND_MODEL, s.backendModel());
    put(b, MODEL_VERSION, s.modelVersion());
    if (s.attempts() != null && !s.attempts().isEmpty()) {
      put(b, ATTEMPTS, (long) s.attempts().size());
    }
    if (s.usage() != null) {
      put(b, CACHE_CREATION_5M, s.usage().cacheCreation5mInputTokens());
      put(b, CACHE_CREATION_1H, s.usage().cacheCreation1hInputTokens());
    }
    if (content != null && Span.KIND_LLM.equals(s.kind())) {
      content.put(s, b);
    }
    return b.build();
  }

  /** Adds one attribute of a type OTLP carries; null adds nothing; other objects go as their text. */
  static void put(AttributesBuilder b, String key, Object v) {
    if (v == null) {
      return;
    }
    if (v instanceof String str) {
      b.put(AttributeKey.stringKey(key), str);
    } else if (v instanceof Boolean bool) {
      b.put(AttributeKey.booleanKey(key), bool);
    } else if (v instanceof Double || v instanceof Float || v instanceof java.math.BigDecimal) {
      b.put(AttributeKey.doubleKey(key), ((Number) v).doubleValue());
    } else if (v instanceof Number n) {
      b.put(AttributeKey.longKey(key), n.longValue());
    } else if (v instanceof List<?> list) {
      putList(b, key, list);
    } else {
      b.put(AttributeKey.stringKey(key), v.toString());
    }
  }

  /** A list of strings (e.g. {@code gen_ai.response.finish_reasons}) as a string array, anything else as text. */
  private static void putList(AttributesBuilder b, String key, List<?> list) {
    List<String> strings = new ArrayList<>(list.size());
    for (Object o : list) {
      if (o == null) {
        continue;
      }
      strings.add(o.toString());
    }
    b.put(AttributeKey.stringArrayKey(key), strings);
  }
}
