package io.tracegate.upstream;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;

/**
 * A backend's response once its status and headers are known. Read the body either as a stream
 * ({@link #body()}, with back-pressure) or whole ({@link #fullBody()}), not both.
 */
public interface UpstreamResponse {
  int status();

  MultiMap headers();

  ReadStream<Buffer> body();

  Future<Buffer> fullBody();

  /** Abandons the call (e.g. the client went away): the connection is reset, no more data arrives. */
  void cancel();
}
