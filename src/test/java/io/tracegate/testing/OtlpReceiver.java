package io.tracegate.testing;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * An OTLP/HTTP collector for tests on 127.0.0.1: a Vert.x server taking {@code POST /v1/traces} and decoding the
 * real protobuf payload ({@link ExportTraceServiceRequest} from {@code opentelemetry-proto}), keeping every span
 * with its resource and the headers of the export that carried it. Can hold its answers to play a stuck collector.
 */
public final class OtlpReceiver implements OtlpCollector {
  /** One received span, its attributes decoded to Java values, ids as lowercase hex. */
  public record Received(io.opentelemetry.proto.trace.v1.Span span, Map<String, Object> resource,
      Map<String, Object> attributes, MultiMap headers) {
    public String traceId() {
      return hex(span.getTraceId().toByteArray());
    }

    public String spanId() {
      return hex(span.getSpanId().toByteArray());
    }

    /** The parent span id, or null when the span has none. */
    public String parentId() {
      return span.getParentSpanId().isEmpty() ? null : hex(span.getParentSpanId().toByteArray());
    }
  }

  private final Vertx vertx = Vertx.vertx();
  private final HttpServer server;
  private final List<Received> spans = new CopyOnWriteArrayList<>();
  private volatile Promise<Void> hold;
  private volatile int requests;

  public OtlpReceiver() throws Exception {
    server = vertx.createHttpServer().requestHandler(this::handle).listen(0, "127.0.0.1")
        .await(10, TimeUnit.SECONDS);
  }

  /** The base endpoint, as in {@code telemetry.otlp.endpoint}. */
  @Override
  public String endpoint() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  /** Export requests received so far (decoded or not). */
  public int requests() {
    return requests;
  }

  /** From now on exports wait, unanswered, until {@link #release()}. */
  public void holdAnswers() {
    hold = Promise.promise();
  }

  public void release() {
    Promise<Void> h = hold;
    hold = null;
    if (h != null) {
      h.tryComplete();
    }
  }

  @Override
  public List<Received> spans() {
    return List.copyOf(spans);
  }

  private void handle(HttpServerRequest req) {
    requests++;
    req.body().onSuccess(body -> {
      if (!req.method().name().equals("POST") || !req.path().equals("/v1/traces")) {
        req.response().setStatusCode(404).end();
        return;
      }
      try {
        accept(ExportTraceServiceRequest.parseFrom(body.getBytes()), req.headers());
      } catch (com.google.protobuf.InvalidProtocolBufferException e) {
        req.response().setStatusCode(400).end(e.toString());
        return;
      }
      Promise<Void> h = hold;
      if (h == null) {
        answer(req);
      } else {
        h.future().onComplete(v -> answer(req));
      }
    });
  }

  private static void answer(HttpServerRequest req) {
    req.response().putHeader("content-type", "application/x-protobuf")
        .end(Buffer.buffer(ExportTraceServiceResponse.getDefaultInstance().toByteArray()));
  }

  private void accept(ExportTraceServiceRequest request, MultiMap headers) {
    spans.addAll(received(request, headers));
  }

  /** The spans of one export request, each with its resource and the request's headers (or gRPC metadata). */
  static List<Received> received(ExportTraceServiceRequest request, MultiMap headers) {
    MultiMap copy = MultiMap.caseInsensitiveMultiMap().addAll(headers);
    List<Received> out = new ArrayList<>();
    for (ResourceSpans rs : request.getResourceSpansList()) {
      Map<String, Object> resource = decode(rs.getResource().getAttributesList());
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        for (io.opentelemetry.proto.trace.v1.Span s : ss.getSpansList()) {
          out.add(new Received(s, resource, decode(s.getAttributesList()), copy));
        }
      }
    }
    return out;
  }

  private static Map<String, Object> decode(List<KeyValue> attributes) {
    Map<String, Object> out = new java.util.LinkedHashMap<>();
    for (KeyValue kv : attributes) {
      out.put(kv.getKey(), value(kv.getValue()));
    }
    return out;
  }

  private static Object value(AnyValue v) {
    return switch (v.getValueCase()) {
      case STRING_VALUE -> v.getStringValue();
      case BOOL_VALUE -> v.getBoolValue();
      case INT_VALUE -> v.getIntValue();
      case DOUBLE_VALUE -> v.getDoubleValue();
      case ARRAY_VALUE -> {
        List<Object> list = new ArrayList<>();
        v.getArrayValue().getValuesList().forEach(x -> list.add(value(x)));
        yield list;
      }
      default -> v.toString();
    };
  }

  private static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }

  @Override
  public void close() throws Exception {
    release();
    vertx.close().await(10, TimeUnit.SECONDS);
  }
}
