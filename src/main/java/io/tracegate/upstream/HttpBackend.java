package io.tracegate.upstream;

import io.tracegate.config.BackendConfig;
import io.tracegate.config.Provider;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

/**
 * A backend reached over HTTP: any OpenAI-compatible server or Anthropic's API. Uses the verticle's shared
 * HTTP client. Credentials follow {@link CredentialHeaders}; an error body is handed on with the credentials
 * it echoes redacted ({@link SecretRedactor}).
 */
public final class HttpBackend implements Backend {
  /** Sent to Anthropic backends when the client did not say which API version it speaks. */
  public static final String DEFAULT_ANTHROPIC_VERSION = "2023-06-01";
  private final Vertx vertx;
  private final HttpClient client;
  private final BackendConfig config;
  private final BaseUrl baseUrl;
  private final String name;
  private final ConnectionLimit limit;

  public HttpBackend(Vertx vertx, HttpClient client, BackendConfig config, ConnectionLimit limit) {
    this.vertx = vertx;
    this.client = client;
    this.config = config;
    this.limit = limit;
    this.baseUrl = BaseUrl.parse(config.baseUrl());
    this.name = nameOf(config);
  }

  /** The label of a backend in spans and messages: its configured name, or provider and base URL. */
  static String nameOf(BackendConfig config) {
    return Backend.labelOf(config);
  }

  @Override
  public BackendConfig config() {
    return config;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Future<UpstreamResponse> send(UpstreamCall call, Cancellation cancellation) {
    if (config.apiKey().isMissing()) {
      return Future.failedFuture(new UpstreamException(
          UpstreamException.Reason.MISSING_CREDENTIAL,
          "backend " + name + " has no API key: environment variable "
              + config.apiKey().variable() + " is not set",
          null));
    }
    if (cancellation.cancelled()) {
      return Future.failedFuture(cancellation.exception(name));
    }
    MultiMap headers = headers(call);
    RequestOptions options = new RequestOptions()
        .setMethod(HttpMethod.POST)
        .setHost(baseUrl.host())
        .setPort(baseUrl.port())
        .setSsl(baseUrl.ssl())
        .setURI(baseUrl.pathPrefix() + call.path())
        .setConnectTimeout(config.connectTimeout().toMillis())
        .setHeaders(headers);
    long responseTimeout = config.responseTimeout().toMillis();
    long idleTimeout = config.idleTimeout().toMillis();
    // a permit of the backend's max_connections first: waiting for it is bounded and reported as such
    return limit.acquire(vertx, cancellation).compose(permit -> {
      if (cancellation.cancelled()) {
        permit.release();
        return Future.failedFuture(cancellation.exception(name));
      }
      return client.request(options)
          .recover(t -> {
            permit.release();
            return Future.failedFuture(UpstreamException.fromTransport(name, t));
          })
          .compose(request -> {
            if (cancellation.cancelled()) { // abandoned while the connection was being obtained
              permit.release();
              request.reset(0);
              return Future.failedFuture(cancellation.exception(name));
            }
            // our own timer, cancelled when the call ends (a per-request idleTimeout kept every request alive);
            // the end of the call, however it ends, gives the permit back
            CallWatchdog watchdog = new CallWatchdog(vertx, request, name, permit::release);
            watchdog.arm(responseTimeout, "response", idleTimeout);
            cancellation.onCancel(() -> {
              watchdog.finish();
              request.reset(0); // HTTP/1.1: closes the connection, so the backend stops generating
            });
            return request.send(call.body())
                .<UpstreamResponse>map(response -> {
                  watchdog.arm(idleTimeout, "data");
                  return new HttpUpstreamResponse(request, response, watchdog, headers, name,
                      config.maxBufferedResponse());
                })
                .recover(t -> {
                  watchdog.finish();
                  return Future.failedFuture(cancellation.cancelled() ? cancellation.exception(name)
                      : watchdog.explain(t));
                });
          });
    });
  }

  private MultiMap headers(UpstreamCall call) {
    MultiMap h = MultiMap.caseInsensitiveMultiMap();
    if (call.headers() != null) {
      h.addAll(call.headers());
    }
    h.set(HttpHeaders.CONTENT_TYPE, "application/json");
    h.set(HttpHeaders.ACCEPT, call.stream() ? "text/event-stream" : "application/json");
    if (config.provider() == Provider.ANTHROPIC && !h.contains("anthropic-version")) {
      h.set("anthropic-version", DEFAULT_ANTHROPIC_VERSION);
    }
    CredentialHeaders.apply(h, config);
    return h;
  }

  private static final class HttpUpstreamResponse implements UpstreamResponse {
    private final HttpClientRequest request;
    private final io.vertx.core.http.HttpClientResponse response;
    private final CallWatchdog watchdog;
    private final WatchedBody body;
    private final MultiMap sentHeaders;
    private final String backendName;
    private final long maxBuffered;

    HttpUpstreamResponse(HttpClientRequest request, io.vertx.core.http.HttpClientResponse response,
        CallWatchdog watchdog, MultiMap sentHeaders, String backendName, long maxBuffered) {
      this.backendName = backendName;
      this.maxBuffered = maxBuffered;
      this.request = request;
      this.response = response;
      this.watchdog = watchdog;
      this.body = new WatchedBody(response, watchdog);
      this.sentHeaders = sentHeaders;
    }

    @Override
    public int status() {
      return response.statusCode();
    }

    @Override
    public MultiMap headers() {
      return response.headers();
    }

    @Override
    public io.vertx.core.streams.ReadStream<io.vertx.core.buffer.Buffer> body() {
      return body;
    }

    @Override
    public Future<io.vertx.core.buffer.Buffer> fullBody() {
      return readWhole().transform(ar -> {
        watchdog.finish();
        if (ar.failed()) {
          return Future.failedFuture(ar.cause() instanceof UpstreamException u ? u : watchdog.explain(ar.cause()));
        }
        if (response.statusCode() < 400) {
          return Future.succeededFuture(ar.result());
        }
        // an error body may quote the credential it rejected: neither the span nor the client gets it
        byte[] raw = ar.result().getBytes();
        byte[] clean = new SecretRedactor(CredentialHeaders.secrets(sentHeaders)).redact(raw);
        return Future.succeededFuture(clean == raw ? ar.result() : io.vertx.core.buffer.Buffer.buffer(clean));
      });
    }

    /**
     * The whole body, at most {@code max_buffered_response} bytes: past it the upstream request is reset and
     * the call fails (a declared Content-Length over it fails before a byte is read).
     */
    private Future<io.vertx.core.buffer.Buffer> readWhole() {
      long max = maxBuffered;
      String declared = response.getHeader(HttpHeaders.CONTENT_LENGTH);
      try {
        if (declared != null && Long.parseLong(declared.trim()) > max) {
          request.reset(0);
          return Future.failedFuture(tooLarge(Long.parseLong(declared.trim())));
        }
      } catch (NumberFormatException ignored) {
        // not a length: read and count
      }
      io.vertx.core.Promise<io.vertx.core.buffer.Buffer> whole = io.vertx.core.Promise.promise();
      io.vertx.core.buffer.Buffer all = io.vertx.core.buffer.Buffer.buffer();
      body.exceptionHandler(whole::tryFail); // each chunk is activity for the idle timer
      body.handler(chunk -> {
        if (all.length() + (long) chunk.length() > max) {
          body.handler(null);
          whole.tryFail(tooLarge(-1)); // before the reset, whose own failure would otherwise win
          request.reset(0);
          return;
        }
        all.appendBuffer(chunk);
      });
      body.endHandler(v -> whole.tryComplete(all));
      return whole.future();
    }

    private UpstreamException tooLarge(long declared) {
      return new UpstreamException(UpstreamException.Reason.TOO_LARGE, "the answer of backend " + backendName
          + (declared >= 0 ? " is " + declared + " bytes, over" : " is over") + " its max_buffered_response of "
          + maxBuffered + " bytes (the gateway must hold it whole: to translate it, remove token ids from it,"
          + " or because it is an error)", null);
    }

    @Override
    public void cancel() {
      watchdog.finish();
      request.reset(0);
    }
  }
}
