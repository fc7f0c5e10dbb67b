package io.tracegate.server;

import io.tracegate.protocol.sse.SseFrameSplitter;
import io.tracegate.upstream.UpstreamException;
import io.tracegate.upstream.UpstreamResponse;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.streams.ReadStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Streams an upstream SSE response to the client frame by frame, as frames complete, with back-pressure
 * both ways: when the client's write queue is full the upstream is paused until it drains. Nothing is
 * buffered beyond one incomplete frame.
 *
 * <p>Writes are consolidated the way Netty's flush consolidation does it: frames are queued and written
 * together by one task that runs on this event loop as soon as it has handled the I/O it is processing, so
 * the events of one upstream packet cost one write syscall instead of one per event, and no frame ever waits
 * for more upstream data.
 */
final class StreamRelay {
  private final ProxyCall call;
  private final UpstreamResponse upstream;
  private final FrameHandler frames;
  private final SseFrameSplitter splitter = new SseFrameSplitter();
  private final HttpServerResponse out;
  /** Client bytes produced since the last flush; {@link #flush} writes them as one buffer. */
  private final List<Buffer> batch = new ArrayList<>(8);
  private final Context context;
  private boolean flushScheduled;

  StreamRelay(ProxyCall call, UpstreamResponse upstream, FrameHandler frames) {
    this.call = call;
    this.upstream = upstream;
    this.frames = frames;
    this.out = call.ctx().response();
    this.context = call.ctx().vertx().getOrCreateContext(); // the event loop this call runs on
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
  }

  private void write(Buffer b) {
    if (b.length() == 0) {
      return;
    }
    batch.add(b);
    if (!flushScheduled) {
      flushScheduled = true;
      context.runOnContext(v -> flush());
    }
  }

  private void flush() {
    flushScheduled = false;
    Buffer ready = takeBatch();
    if (ready != null && !call.done()) {
      out.write(ready);
      if (out.writeQueueFull()) {
        upstream.body().pause();
      }
    }
  }

  /** The pending client bytes as one buffer (copied together only when there are several), or null. */
  private Buffer takeBatch() {
    int n = batch.size();
    if (n == 0) {
      return null;
    }
    Buffer ready = batch.get(0);
    if (n > 1) {
      int length = 0;
      for (int i = 0; i < n; i++) {
        length += batch.get(i).length();
      }
      ready = Buffer.buffer(length);
      for (int i = 0; i < n; i++) {
        ready.appendBuffer(batch.get(i));
      }
    }
    batch.clear();
    return ready;
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
    Buffer last = takeBatch();
    call.succeed(200);
    if (last == null) {
      out.end();
    } else {
      out.end(last);
    }
  }

  private void onError(Throwable t) {
    flush(); // frames that arrived before the failure reach the client before the error event
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
