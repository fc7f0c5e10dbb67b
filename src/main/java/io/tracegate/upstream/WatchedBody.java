package io.tracegate.upstream;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.streams.ReadStream;

/**
 * An upstream response body that keeps its call's {@link CallWatchdog} informed: each chunk is activity,
 * pausing (back-pressure) stops the idle clock until reading resumes, the end or a failure finishes the watch, and a failure caused by a timeout is reported as the timeout.
 */
final class WatchedBody implements ReadStream<Buffer> {
  private final HttpClientResponse response;
  private final CallWatchdog watchdog;

  WatchedBody(HttpClientResponse response, CallWatchdog watchdog) {
    this.response = response;
    this.watchdog = watchdog;
  }

  @Override
  public ReadStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
    response.exceptionHandler(handler == null ? null : t -> {
      watchdog.finish();
      handler.handle(watchdog.explain(t));
    });
    return this;
  }

  @Override
  public ReadStream<Buffer> handler(Handler<Buffer> handler) {
    response.handler(handler == null ? null : chunk -> {
      watchdog.touch();
      handler.handle(chunk);
    });
    return this;
  }

  @Override
  public ReadStream<Buffer> pause() {
    watchdog.pause();
    response.pause();
    return this;
  }

  @Override
  public ReadStream<Buffer> resume() {
    watchdog.resume();
    response.resume();
    return this;
  }

  @Override
  public ReadStream<Buffer> fetch(long amount) {
    if (amount > 0) {
      watchdog.resume();
    }
    response.fetch(amount);
    return this;
  }

  @Override
  public ReadStream<Buffer> endHandler(Handler<Void> handler) {
    response.endHandler(handler == null ? null : v -> {
      watchdog.finish();
      handler.handle(v);
    });
    return this;
  }
}
