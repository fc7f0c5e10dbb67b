package io.tracegate.telemetry.grpc;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.Compressor;
import io.opentelemetry.sdk.common.export.GrpcResponse;
import io.opentelemetry.sdk.common.export.GrpcSender;
import io.opentelemetry.sdk.common.export.GrpcSenderConfig;
import io.opentelemetry.sdk.common.export.MessageWriter;
import io.opentelemetry.sdk.common.export.RetryPolicy;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.StreamResetException;
import io.vertx.core.net.TrustOptions;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The OpenTelemetry SDK's {@link GrpcSender} over a Vert.x HTTP/2 client: cleartext HTTP/2 with prior knowledge
 * for {@code http://} (as gRPC servers expect), TLS with ALPN {@code h2} for {@code https://}. One unary call
 * per export, as the SDK's OkHttp sender makes it: the SDK's timeout bounds the whole call, retries included;
 * the SDK's {@link RetryPolicy} is followed (exponential backoff, jitter 0.8-1.2) for the retryable gRPC statuses
 * and for connection failures; headers (gRPC metadata) come from the SDK's supplier on every call. The outcome
 * reaches exactly one of the two callbacks, never an exception in the caller.
 *
 * <p>It runs on a Vert.x instance of its own (one event loop), never on the gateway's event loops: the export
 * outlives the gateway's Vert.x at shutdown, when the last spans are flushed after the server stopped.
 */
final class VertxGrpcSender implements GrpcSender {
  private static final System.Logger LOG = System.getLogger(VertxGrpcSender.class.getName());
  /** HTTP/2 RST_STREAM REFUSED_STREAM: the server did not process the stream, a retry is safe. */
  private static final long REFUSED_STREAM = 0x7;

  private final Vertx vertx;
  private final Context context;
  private final HttpClientAgent client;
  private final String url;
  private final String authority;
  private final Compressor compressor;
  private final Supplier<Map<String, List<String>>> headers;
  private final RetryPolicy retries;
  private final long timeoutNanos;
  private final long maxResponseBytes;
  private final Set<Call> calls = ConcurrentHashMap.newKeySet();
  private volatile boolean shutdown;

  VertxGrpcSender(GrpcSenderConfig config) {
    URI endpoint = config.getEndpoint();
    boolean tls = "https".equalsIgnoreCase(endpoint.getScheme());
    this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1)
        .setInternalBlockingPoolSize(1));
    this.context = vertx.getOrCreateContext();
    HttpClientOptions options = new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2)
        .setHttp2ClearTextUpgrade(false) // prior knowledge: no HTTP/1.1 upgrade dance, as gRPC clients do
        .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, Math.max(1, config.getConnectTimeout().toMillis())))
        .setName("tracegate-otlp-grpc");
    if (tls) {
      options.setSsl(true).setUseAlpn(true).setAlpnVersions(List.of(HttpVersion.HTTP_2));
      if (config.getTrustManager() != null) {
        options.setTrustOptions(TrustOptions.wrap(config.getTrustManager()));
      }
    }
    this.client = vertx.createHttpClient(options, new PoolOptions().setHttp2MaxSize(1));
    String base = endpoint.toString();
    while (base.endsWith("/")) {
      base = base.substring(0, base.length() - 1);
    }
    this.url = base + "/" + config.getFullMethodName();
    this.authority = endpoint.getAuthority();
    this.compressor = config.getCompressor();
    this.headers = config.getHeadersSupplier();
    this.retries = config.getRetryPolicy();
    this.timeoutNanos = config.getTimeout().toNanos();
    this.maxResponseBytes = config.getMaxResponseBodySize();
  }

  @Override
  public void send(MessageWriter message, Consumer<GrpcResponse> onResponse, Consumer<Throwable> onError) {
    if (shutdown) {
      onError.accept(new IllegalStateException("OTLP/gRPC sender to " + authority + " is shut down"));
      return;
    }
    Call call;
    try {
      call = new Call(GrpcWire.frame(message, compressor), requestHeaders(), onResponse, onError);
    } catch (IOException | RuntimeException e) {
      onError.accept(e);
      return;
    }
    calls.add(call);
    if (shutdown) { // shutdown() may have swept the calls before this one was added
      call.abandon();
      return;
    }
    context.runOnContext(v -> call.start());
  }

  @Override
  public CompletableResultCode shutdown() {
    shutdown = true;
    for (Call c : calls) {
      c.abandon();
    }
    CompletableResultCode result = new CompletableResultCode();
    vertx.close().onComplete(ar -> result.succeed());
    return result;
  }

  private MultiMap requestHeaders() {
    MultiMap out = MultiMap.caseInsensitiveMultiMap();
    Map<String, List<String>> supplied = headers == null ? null : headers.get();
    if (supplied != null) {
      // HTTP/2 header names are lower case; gRPC metadata keys are case-insensitive
      supplied.forEach((k, values) -> values.forEach(v -> out.add(k.toLowerCase(Locale.ROOT), v)));
    }
    out.set("content-type", GrpcWire.CONTENT_TYPE);
    out.set("te", "trailers");
    out.set("grpc-accept-encoding", "identity,gzip");
    if (compressor != null) {
      out.set("grpc-encoding", compressor.getEncoding());
    }
    return out;
  }

  /** gRPC's {@code grpc-timeout} value: at most 8 digits and a unit. */
  static String grpcTimeout(long nanos) {
    long millis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(nanos));
    return millis <= 99_999_999L ? millis + "m" : Math.min(99_999_999L, millis / 1000) + "S";
  }

  /** Whether a failed attempt may be repeated: connection failures (as the SDK's senders decide) and refusals. */
  private boolean retryable(Throwable e) {
    if (e instanceof IOException io && retries != null && retries.getRetryExceptionPredicate() != null) {
      return retries.getRetryExceptionPredicate().test(io);
    }
    if (e instanceof StreamResetException reset) {
      return reset.getCode() == REFUSED_STREAM;
    }
    return e instanceof ConnectException || e instanceof SocketException || e instanceof SocketTimeoutException
        || e instanceof UnknownHostException || e instanceof HttpClosedException;
  }

  /** One export: its attempts, its deadline, exactly one outcome. Runs on the sender's event loop. */
  private final class Call {
    private final Buffer body;
    private final MultiMap requestHeaders;
    private final Consumer<GrpcResponse> onResponse;
    private final Consumer<Throwable> onError;
    private final long deadline = System.nanoTime() + timeoutNanos;
    private final AtomicBoolean done = new AtomicBoolean();
    private int attempts;
    private long nextBackoffNanos;
    private long deadlineTimer = -1;
    private HttpClientRequest current;

    Call(Buffer body, MultiMap requestHeaders, Consumer<GrpcResponse> onResponse, Consumer<Throwable> onError) {
      this.body = body;
      this.requestHeaders = requestHeaders;
      this.onResponse = onResponse;
      this.onError = onError;
    }

    void start() {
      long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
      deadlineTimer = vertx.setTimer(Math.max(1, left), t -> expire());
      nextBackoffNanos = retries == null ? 0 : retries.getInitialBackoff().toNanos();
      attempt();
    }

    private void attempt() {
      if (done.get()) {
        return;
      }
      attempts++;
      MultiMap attemptHeaders = MultiMap.caseInsensitiveMultiMap().addAll(requestHeaders)
          .set("grpc-timeout", grpcTimeout(deadline - System.nanoTime())); // what is left: the server may stop early
      RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(url)
          .setHeaders(attemptHeaders);
      client.request(options).compose(req -> {
        current = req;
        return req.send(body);
      }).compose(this::read).onComplete(ar -> {
        current = null;
        if (ar.succeeded()) {
          answered(ar.result());
        } else {
          failed(ar.cause());
        }
      });
    }

    private Future<GrpcResponse> read(HttpClientResponse response) {
      Promise<GrpcResponse> answer = Promise.promise();
      Buffer received = Buffer.buffer();
      long limit = maxResponseBytes + GrpcWire.PREFIX_BYTES;
      boolean[] tooLarge = {false};
      response.handler(chunk -> {
        if (received.length() + (long) chunk.length() > limit) {
          tooLarge[0] = true;
        } else if (!tooLarge[0]) {
          received.appendBuffer(chunk);
        }
      });
      response.exceptionHandler(answer::tryFail);
      response.endHandler(v -> answer.tryComplete(GrpcWire.answer(response.statusCode(), response.headers(),
          response.trailers(), received, tooLarge[0], maxResponseBytes)));
      return answer.future();
    }

    private void answered(GrpcResponse response) {
      if (GrpcWire.RETRYABLE.contains(response.getStatusCode()) && retryLater()) {
        LOG.log(System.Logger.Level.DEBUG, () -> "OTLP/gRPC attempt " + attempts + " answered "
            + response.getStatusCode() + ", retrying");
        return;
      }
      finish(() -> onResponse.accept(response));
    }

    private void failed(Throwable error) {
      if (!done.get() && retryable(error) && retryLater()) {
        LOG.log(System.Logger.Level.DEBUG, () -> "OTLP/gRPC attempt " + attempts + " failed (" + error + "), retrying");
        return;
      }
      finish(() -> onError.accept(error));
    }

    /** Schedules the next attempt if the policy allows one and it can start before the deadline. */
    private boolean retryLater() {
      if (retries == null || attempts >= retries.getMaxAttempts() || shutdown || done.get()) {
        return false;
      }
      long backoff = Math.min(nextBackoffNanos, retries.getMaxBackoff().toNanos());
      long sleep = (long) (ThreadLocalRandom.current().nextDouble(0.8d, 1.2d) * backoff);
      nextBackoffNanos = (long) (backoff * retries.getBackoffMultiplier());
      if (System.nanoTime() + sleep >= deadline) {
        return false;
      }
      vertx.setTimer(Math.max(1, TimeUnit.NANOSECONDS.toMillis(sleep)), t -> attempt());
      return true;
    }

    private void expire() {
      HttpClientRequest request = current;
      if (request != null) {
        request.reset();
      }
      finish(() -> onError.accept(new TimeoutException("OTLP/gRPC export to " + authority + " timed out after "
          + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms (" + attempts + " attempt(s))")));
    }

    void abandon() {
      finish(() -> onError.accept(new IllegalStateException("OTLP/gRPC sender to " + authority + " shut down")));
    }

    private void finish(Runnable outcome) {
      if (!done.compareAndSet(false, true)) {
        return;
      }
      calls.remove(this);
      if (deadlineTimer >= 0) {
        vertx.cancelTimer(deadlineTimer);
      }
      try {
        outcome.run();
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "OTLP/gRPC export callback failed: " + e);
      }
    }
  }
}
