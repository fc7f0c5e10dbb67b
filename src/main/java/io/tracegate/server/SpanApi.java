package io.tracegate.server;

import io.tracegate.store.RolloutQuery;
import io.tracegate.store.SpanQuery;
import io.tracegate.store.SpanStore;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * The store query API under {@code /api/}. Store calls block, so they run on worker threads (unordered, so
 * slow queries do not queue behind each other), and so does rendering the answer (a page can be megabytes).
 * Spans are rendered by {@link SpanJson} (degraded rather than failing); pages are bounded by count and by
 * bytes ({@link SpanQuery#maxBytes()}).
 */
final class SpanApi {
  private final SpanStore store;
  private final long maxPageBytes;

  /** @param maxPageBytes byte budget of a {@code /api/spans} page ({@code server.max_api_page_size}) */
  SpanApi(SpanStore store, long maxPageBytes) {
    this.store = store;
    this.maxPageBytes = maxPageBytes;
  }

  void spans(RoutingContext ctx) {
    SpanQuery query;
    try {
      query = new SpanQuery(
          RolloutIds.requireIfPresent("rollout_id", ctx.request().getParam("rollout_id")),
          RolloutIds.requireIfPresent("attempt_id", ctx.request().getParam("attempt_id")),
          param(ctx, "kind"),
          param(ctx, "since") == null ? null : TimeArgs.parseUnixNano(param(ctx, "since")),
          param(ctx, "limit") == null ? SpanQuery.DEFAULT_LIMIT : positiveInt(param(ctx, "limit"), "limit"),
          param(ctx, "cursor"),
          param(ctx, "order") == null ? SpanQuery.Order.ASC : SpanQuery.Order.parse(param(ctx, "order")),
          maxPageBytes);
    } catch (IllegalArgumentException e) {
      fail(ctx, e.getMessage());
      return;
    }
    if ("true".equals(param(ctx, "count"))) {
      blocking(ctx, () -> ApiJson.encode(Map.of("count", store.count(query))));
      return;
    }
    blocking(ctx, () -> SpanJson.page(store.query(query)));
  }

  void span(RoutingContext ctx) {
    String id = ctx.pathParam("span_id");
    blocking(ctx, () -> Buffer.buffer(SpanJson.span(store.find(id).orElseThrow(() ->
        new GatewayException(GatewayException.Kind.NOT_FOUND, "no span with id '" + id + "'")))));
  }

  void rollouts(RoutingContext ctx) {
    RolloutQuery query;
    try {
      query = new RolloutQuery(
          param(ctx, "since") == null ? null : TimeArgs.parseUnixNano(param(ctx, "since")),
          param(ctx, "limit") == null ? RolloutQuery.DEFAULT_LIMIT : positiveInt(param(ctx, "limit"), "limit"));
    } catch (IllegalArgumentException e) {
      fail(ctx, e.getMessage());
      return;
    }
    blocking(ctx, () -> ApiJson.encode(Map.of("rollouts", store.rollouts(query))));
  }

  void rollout(RoutingContext ctx) {
    String id = RolloutIds.require("rollout_id", ctx.pathParam("rollout_id"));
    blocking(ctx, () -> ApiJson.encode(store.rollout(id).orElseThrow(() ->
        new GatewayException(GatewayException.Kind.NOT_FOUND, "no rollout with id '" + id + "'"))));
  }

  /**
   * Store call and rendering on a worker thread; the answer (or the failure: a malformed cursor is a 400,
   * anything else goes to the failure handler) through {@link ApiReplies}.
   */
  private static void blocking(RoutingContext ctx, Callable<Buffer> work) {
    ApiReplies.fromWorker(ctx, 200, () -> {
      try {
        return work.call();
      } catch (IllegalArgumentException e) {
        throw new GatewayException(GatewayException.Kind.INVALID_REQUEST, e.getMessage());
      }
    });
  }

  private static void fail(RoutingContext ctx, String message) {
    ctx.fail(new GatewayException(GatewayException.Kind.INVALID_REQUEST, message));
  }

  private static String param(RoutingContext ctx, String name) {
    String v = ctx.request().getParam(name);
    return v == null || v.isBlank() ? null : v;
  }

  private static int positiveInt(String v, String name) {
    try {
      int n = Integer.parseInt(v);
      if (n > 0) {
        return n;
      }
    } catch (NumberFormatException ignored) {
      // fall through to the error below
    }
    throw new IllegalArgumentException("'" + name + "' must be a positive integer, got '" + v + "'");
  }
}
