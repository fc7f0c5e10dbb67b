package io.tracegate.server;

import io.tracegate.store.BatchingSpanWriter;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /api/events}: server-sent events that tell a watcher (the trace UI's live rollouts list) that new
 * spans were stored, so it re-reads the page it shows instead of polling. Once a second, on the request's event
 * loop, the writer's persisted count (an in-memory counter, no store access) is compared with the last one sent;
 * when it moved, one {@code spans} event goes out, so a busy gateway sends at most one event per second per
 * watcher. A comment line every {@value #KEEP_ALIVE_TICKS} s keeps proxies from closing a quiet stream; the
 * stream ends when the client leaves or the gateway starts shutting down.
 */
final class LiveEvents {
  static final long TICK_MILLIS = 1000;
  static final int KEEP_ALIVE_TICKS = 15;
  private final BatchingSpanWriter writer;
  private final Drain drain;

  LiveEvents(BatchingSpanWriter writer, Drain drain) {
    this.writer = writer;
    this.drain = drain;
  }

  void events(RoutingContext ctx) {
    HttpServerResponse response = ctx.response();
    response.setChunked(true)
        .putHeader(HttpHeaders.CONTENT_TYPE, "text/event-stream; charset=utf-8")
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache");
    long[] sent = {writer.stats().persisted()};
    int[] quiet = {0};
    response.write("retry: 2000\n\n" + event(sent[0]));
    long timer = ctx.vertx().setPeriodic(TICK_MILLIS, id -> {
      if (response.ended() || response.closed()) {
        ctx.vertx().cancelTimer(id);
        return;
      }
      if (drain.draining()) {
        ctx.vertx().cancelTimer(id);
        response.end();
        return;
      }
      long persisted = writer.stats().persisted();
      if (persisted != sent[0]) {
        sent[0] = persisted;
        quiet[0] = 0;
        response.write(event(persisted));
      } else if (++quiet[0] >= KEEP_ALIVE_TICKS) {
        quiet[0] = 0;
        response.write(": keep-alive\n\n");
      }
    });
    response.closeHandler(v -> ctx.vertx().cancelTimer(timer));
    response.endHandler(v -> ctx.vertx().cancelTimer(timer));
  }

  private static String event(long persisted) {
    return "event: spans\ndata: {\"persisted\":" + persisted + "}\n\n";
  }
}
