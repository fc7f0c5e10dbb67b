package io.tracegate.server;

import io.tracegate.trace.UpstreamAttempt;
import io.tracegate.upstream.UpstreamResponse;
import io.vertx.core.AsyncResult;
import java.util.concurrent.TimeUnit;

/** The {@link UpstreamAttempt} a try of a backend makes, from what its send completed with. */
final class UpstreamAttempts {
  private UpstreamAttempts() {}

  /**
   * @param outcome the response (headers arrived) or the failure ({@link ErrorMapper}'s code names it, e.g.
   *     {@code upstream_unreachable}, {@code upstream_timeout}, {@code cancelled})
   * @param sentAtNanos {@link System#nanoTime()} when the try was sent
   */
  static UpstreamAttempt of(String backend, AsyncResult<UpstreamResponse> outcome, long sentAtNanos) {
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sentAtNanos);
    if (outcome.failed()) {
      return new UpstreamAttempt(backend, null, ErrorMapper.map(outcome.cause()).code(), ms);
    }
    int status = outcome.result().status();
    return new UpstreamAttempt(backend, status, status >= 400 ? "http_" + status : null, ms);
  }
}
