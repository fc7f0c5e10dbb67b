package io.tracegate.testing;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Parser;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.TlsServerCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.vertx.core.MultiMap;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManager;

/**
 * An OTLP/gRPC collector for tests on 127.0.0.1: grpc-java's own Netty server serving
 * {@code opentelemetry.proto.collector.trace.v1.TraceService/Export}, the request decoded with the real protobuf
 * classes ({@code opentelemetry-proto}), so the export is checked against a faithful gRPC peer (HTTP/2 framing,
 * length-prefixed messages, status in trailers). Keeps every span with its resource and the call's metadata.
 * Can answer the next calls with an error status first ({@link #failNext}), as a collector that restarts does,
 * or hold its answers ({@link #holdAnswers}), as one that hangs.
 */
public final class OtlpGrpcReceiver implements OtlpCollector {
  public static final String SERVICE = "opentelemetry.proto.collector.trace.v1.TraceService";
  private static final Context.Key<Metadata> METADATA = Context.key("otlp-grpc-metadata");
  private static final MethodDescriptor<ExportTraceServiceRequest, ExportTraceServiceResponse> EXPORT =
      MethodDescriptor.<ExportTraceServiceRequest, ExportTraceServiceResponse>newBuilder()
          .setType(MethodDescriptor.MethodType.UNARY)
          .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE, "Export"))
          .setRequestMarshaller(new ProtoMarshaller<>(ExportTraceServiceRequest.parser()))
          .setResponseMarshaller(new ProtoMarshaller<>(ExportTraceServiceResponse.parser()))
          .build();

  private final Server server;
  private final List<OtlpReceiver.Received> spans = new CopyOnWriteArrayList<>();
  private final Queue<Status> failures = new ConcurrentLinkedQueue<>();
  private final AtomicInteger calls = new AtomicInteger();
  private final Queue<StreamObserver<ExportTraceServiceResponse>> held = new ConcurrentLinkedQueue<>();
  private volatile boolean holding;

  private final boolean tls;

  /** Cleartext HTTP/2 (h2c), as a collector's default OTLP/gRPC receiver on 4317. */
  public OtlpGrpcReceiver() throws Exception {
    this(null);
  }

  /** TLS with this server key and certificate (ALPN h2) when {@code keyManager} is not null. */
  public OtlpGrpcReceiver(KeyManager keyManager) throws Exception {
    ServerServiceDefinition service = ServerServiceDefinition.builder(SERVICE)
        .addMethod(EXPORT, ServerCalls.asyncUnaryCall(this::export)).build();
    InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    tls = keyManager != null;
    NettyServerBuilder builder = tls
        ? NettyServerBuilder.forAddress(address, TlsServerCredentials.newBuilder().keyManager(keyManager).build())
        : NettyServerBuilder.forAddress(address);
    server = builder.addService(ServerInterceptors.intercept(service, new MetadataCapture())).build().start();
  }

  /** {@code http(s)://127.0.0.1:<port>}, as in {@code telemetry.otlp.endpoint} with {@code protocol: grpc}. */
  @Override
  public String endpoint() {
    return (tls ? "https" : "http") + "://127.0.0.1:" + server.getPort();
  }

  @Override
  public List<OtlpReceiver.Received> spans() {
    return List.copyOf(spans);
  }

  /** Export calls received so far, answered with an error or not. */
  public int calls() {
    return calls.get();
  }

  /** The next {@code times} calls are answered with {@code status} (their spans are not kept). */
  public void failNext(Status status, int times) {
    for (int i = 0; i < times; i++) {
      failures.add(status);
    }
  }

  /** From now on calls are kept unanswered (their spans not kept), as by a collector that hangs. */
  public void holdAnswers() {
    holding = true;
  }

  private void export(ExportTraceServiceRequest request, StreamObserver<ExportTraceServiceResponse> answer) {
    if (holding) {
      held.add(answer);
      calls.incrementAndGet();
      return;
    }
    calls.incrementAndGet();
    Status failure = failures.poll();
    if (failure != null) {
      answer.onError(failure.asRuntimeException());
      return;
    }
    spans.addAll(OtlpReceiver.received(request, headers(METADATA.get())));
    answer.onNext(ExportTraceServiceResponse.getDefaultInstance());
    answer.onCompleted();
  }

  /** The call's ASCII metadata as headers (binary {@code -bin} entries left out). */
  private static MultiMap headers(Metadata metadata) {
    MultiMap out = MultiMap.caseInsensitiveMultiMap();
    for (String key : metadata.keys()) {
      if (!key.endsWith(Metadata.BINARY_HEADER_SUFFIX)) {
        Iterable<String> values = metadata.getAll(Metadata.Key.of(key, Metadata.ASCII_STRING_MARSHALLER));
        if (values != null) {
          values.forEach(v -> out.add(key, v));
        }
      }
    }
    return out;
  }

  @Override
  public void close() throws Exception {
    holding = false;
    for (StreamObserver<ExportTraceServiceResponse> h; (h = held.poll()) != null; ) {
      h.onError(Status.UNAVAILABLE.withDescription("collector closing").asRuntimeException());
    }
    server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
  }

  /** Hands each call's metadata to the method through the gRPC context. */
  private static final class MetadataCapture implements ServerInterceptor {
    @Override
    public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers,
        ServerCallHandler<Q, A> next) {
      return Contexts.interceptCall(Context.current().withValue(METADATA, headers), call, headers, next);
    }
  }

  private static final class ProtoMarshaller<T extends com.google.protobuf.MessageLite>
      implements MethodDescriptor.Marshaller<T> {
    private final Parser<T> parser;

    ProtoMarshaller(Parser<T> parser) {
      this.parser = parser;
    }

    @Override
    public InputStream stream(T value) {
      return value.toByteString().newInput();
    }

    @Override
    public T parse(InputStream stream) {
      try {
        return parser.parseFrom(stream);
      } catch (InvalidProtocolBufferException e) {
        throw Status.INTERNAL.withDescription("undecodable OTLP request: " + e.getMessage()).withCause(e)
            .asRuntimeException();
      }
    }
  }
}
