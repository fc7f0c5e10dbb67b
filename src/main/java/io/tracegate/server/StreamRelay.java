package io.tracegate.server;

import io.tracegate.protocol.sse.SseFrameSplitter;
import io.tracegate.upstream.UpstreamException;
import io.tracegate.upstream.UpstreamResponse;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.streams.ReadStream;

/**
 * Streams an upstream SSE response to the client frame by frame, as frames complete, with back-pressure
 * both ways: when the client's write queue is full the upstream is paused until it drains. Nothing is
 * buffered beyond one incomplete frame.
 */
final class StreamRelay {
  private final ProxyCall call;
  private final UpstreamResponse upstream;
  private final FrameHandler frames;
  private final SseFrameSplitter splitter = new SseFrameSplitter();
  private final HttpServerResponse out;

  StreamRelay(ProxyCall call, UpstreamResponse upstream, FrameHandler frames) {
    this.call = call;
    this.upstream = upstream;
    this.frames = frames;
    this.out = call.ctx().response();
  }

  void start(String contentType) {
    ForwardedHeaders.copyToClient(upstream.headers(), out.headers());
    out.setStatusCode(200)
        .setChunked(true)
        .putHeader(HttpHeaders.CONTENT_TYPE, contentType)
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache");
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
    splitter.feed(bytes, 0, bytes.length, frame -> frames.onFrame(frame, this::write));
    if (out.writeQueueFull()) {
      upstream.body().pause();
    }
  }

  private void write(Buffer b) {
    if (!call.done()) {
      out.write(b);
    }
  }

  private void onEnd() {
    if (call.done()) {
      return;
    }
    byte[] rest = splitter.finish(frame -> frames.onFrame(frame, this::write));
    if (rest != null && !isBlank(rest)) {
      frames.onFrame(rest, this::write);
    }
    frames.onEnd(this::write);
    call.succeed(200);
    out.end();
  }

  private void onError(Throwable t) {
    call.fail(UpstreamException.fromTransport(call.exchange().backendName(), t));
  }

  private static boolean isBlank(byte[] b) {
    for (byte x : b) {
      if (x != '\n' && x != '\r' && x != ' ') {
        return false;
      }
    }
    return true;
  }
}
