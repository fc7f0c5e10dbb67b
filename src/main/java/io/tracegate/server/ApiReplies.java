package io.tracegate.server;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.Callable;

/**
 * How every {@code /api/} handler answers, so that none can leave a request hanging. A handler that throws is
 * routed to the router's failure handler by Vert.x; an exception thrown later, inside a future's callback, is
 * not (Vert.x only logs it), so handlers never end a response in a callback of their own: they hand a future
 * of the rendered body to {@link #json}, which ends the response or, on any failure (of the work, of the
 * rendering, of ending), passes it to {@link RoutingContext#fail}, whose handler answers in JSON (500 unless
 * {@link ErrorMapper} knows better). Rendering happens in the future's chain ({@code map}), which turns a
 * throw into a failed future.
 */
final class ApiReplies {
  private ApiReplies() {}

  /** Runs {@code work} (which blocks: store calls, rendering) on a worker thread and answers its body. */
  static void fromWorker(RoutingContext ctx, int status, Callable<Buffer> work) {
    json(ctx, status, ctx.vertx().executeBlocking(work, false));
  }

  /** Ends the response with {@code status} and the body, or fails the request with the future's failure. */
  static void json(RoutingContext ctx, int status, Future<Buffer> body) {
    typed(ctx, status, "application/json", body);
  }

  /** {@link #json} with another content type (e.g. text/csv). */
  static void typed(RoutingContext ctx, int status, String contentType, Future<Buffer> body) {
    body.onComplete(ar -> {
      try {
        if (ar.failed()) {
          fail(ctx, ar.cause());
          return;
        }
        ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, contentType)
            .end(ar.result());
      } catch (Throwable t) {
        fail(ctx, t);
      }
    });
  }

  /** Hands a failure to the router's failure handler; a request that cannot even fail is cut. */
  static void fail(RoutingContext ctx, Throwable cause) {
    try {
      if (!ctx.response().ended()) {
        ctx.fail(cause);
      }
    } catch (Throwable t) {
      ctx.response().reset();
    }
  }
}
