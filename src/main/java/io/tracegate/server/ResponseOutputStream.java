package io.tracegate.server;

import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * An OutputStream for a WORKER thread that streams into an HTTP response owned by an event loop: bytes are
 * sent in chunks on the response's context, and the worker blocks while too many chunks are in flight, so a
 * slow client holds back the producer instead of growing memory (at most {@code MAX_IN_FLIGHT} chunks).
 */
final class ResponseOutputStream extends OutputStream {
  static final int CHUNK_BYTES = 64 * 1024;
  static final int MAX_IN_FLIGHT = 8;
  private static final long CLIENT_STALL_SECONDS = 300;

  private final Context context;
  private final HttpServerResponse response;
  private final Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
  private Buffer pending = Buffer.buffer(CHUNK_BYTES);
  private volatile boolean broken;

  ResponseOutputStream(Context context, HttpServerResponse response) {
    this.context = context;
    this.response = response;
  }

  @Override
  public void write(int b) throws IOException {
    pending.appendByte((byte) b);
    if (pending.length() >= CHUNK_BYTES) {
      flush();
    }
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    pending.appendBytes(b, off, len);
    if (pending.length() >= CHUNK_BYTES) {
      flush();
    }
  }

  @Override
  public void flush() throws IOException {
    if (pending.length() == 0) {
      return;
    }
    if (broken) {
      throw new IOException("client went away");
    }
    try {
      if (!inFlight.tryAcquire(CLIENT_STALL_SECONDS, TimeUnit.SECONDS)) {
        throw new IOException("client stopped reading for " + CLIENT_STALL_SECONDS + " s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    Buffer chunk = pending;
    pending = Buffer.buffer(CHUNK_BYTES);
    context.runOnContext(v -> response.write(chunk).onComplete(ar -> {
      if (ar.failed()) {
        broken = true;
      }
      inFlight.release();
    }));
  }

  /** Flushes what is left; the caller ends the response on the event loop. */
  @Override
  public void close() throws IOException {
    flush();
  }
}
