package io.tracegate.server;

import io.tracegate.upstream.UpstreamException;
import io.tracegate.upstream.UpstreamResponse;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.streams.ReadStream;

/**
 * Relays a successful whole (non-SSE) upstream answer that the client gets unchanged, chunk by chunk as it
 * arrives, with back-pressure (a slow client pauses the upstream), instead of reading it whole first: a
 * 50 MB answer costs the gateway a few chunks of memory, not 50 MB (plus the copies a whole read makes).
 * The exchange keeps what the span needs, up to {@code store.max_recorded_body} bytes. When the upstream
 * fails mid-body, the client's connection is reset: a cut JSON body cannot carry an error.
 */
final class BodyRelay {
  private final ProxyCall call;
  private final UpstreamResponse upstream;
  private final HttpServerResponse out;

  BodyRelay(ProxyCall call, UpstreamResponse upstream) {
    this.call = call;
    this.upstream = upstream;
    this.out = call.ctx().response();
  }

  void start() {
    ForwardedHeaders.copyToClient(upstream.headers(), out.headers());
    if (!out.headers().contains(HttpHeaders.CONTENT_TYPE)) {
      out.headers().set(HttpHeaders.CONTENT_TYPE, "application/json");
    }
    // chunked even when the backend sent a Content-Length: with a length the client would have its whole
    // answer with the last data chunk, before the span is closed; the closing chunk now comes after it
    out.setChunked(true);
    out.setStatusCode(upstream.status());
    ReadStream<Buffer> body = upstream.body();
    out.drainHandler(v -> body.resume());
    body.exceptionHandler(this::onError);
    body.endHandler(v -> onEnd());
    body.handler(this::onChunk);
  }

  private void onChunk(Buffer chunk) {
    if (call.done()) {
      return;
    }
    byte[] bytes = chunk.getBytes();
    call.exchange().upstreamBodyPart(bytes, 0, bytes.length);
    out.write(chunk);
    if (out.writeQueueFull()) {
      upstream.body().pause();
    }
  }

  private void onEnd() {
    if (call.done()) {
      return;
    }
    // the span is closed before the last byte goes out, so a client that got its answer can query it
    call.succeed(upstream.status());
    out.end();
  }

  private void onError(Throwable t) {
    call.fail(UpstreamException.fromTransport(call.exchange().backendName(), t));
  }
}
