package io.tracegate.server;

import io.tracegate.store.RolloutQuery;
import io.tracegate.store.SpanQuery;
import io.tracegate.store.SpanStore;
import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * The store query API under {@code /api/}. Store calls block, so they run on worker threads (unordered, so
 * slow queries do not queue behind each other); results are written back on the event loop.
 */
final class SpanApi {
  private final SpanStore store;

  SpanApi(SpanStore store) {
    this.store = store;
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
          param(ctx, "order") == null ? SpanQuery.Order.ASC : SpanQuery.Order.parse(param(ctx, "order")));
    } catch (IllegalArgumentException e) {
      fail(ctx, e.getMessage());
      return;
    }
    if ("true".equals(param(ctx, "count"))) {
      blocking(ctx, () -> Map.of("count", store.count(query)));
      return;
    }
    blocking(ctx, () -> {
      var page = store.query(query);
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("spans", page.spans());
      body.put("next_cursor", page.nextCursor());
      return body;
    });
  }

  void span(RoutingContext ctx) {
    String id = ctx.pathParam("span_id");
    blocking(ctx, () -> store.find(id).orElseThrow(() ->
        new GatewayException(GatewayException.Kind.NOT_FOUND, "no span with id '" + id + "'")));
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
    blocking(ctx, () -> Map.of("rollouts", store.rollouts(query)));
  }

  void rollout(RoutingContext ctx) {
    String id = RolloutIds.require("rollout_id", ctx.pathParam("rollout_id"));
    blocking(ctx, () -> store.rollout(id).orElseThrow(() ->
        new GatewayException(GatewayException.Kind.NOT_FOUND, "no rollout with id '" + id + "'")));
  }

  private void blocking(RoutingContext ctx, Callable<Object> work) {
    Future<Object> result = ctx.vertx().executeBlocking(work, false);
    result.onComplete(ar -> {
      if (ar.succeeded()) {
        ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(ApiJson.encode(ar.result()));
      } else if (ar.cause() instanceof IllegalArgumentException e) {
        fail(ctx, e.getMessage());
      } else {
        ctx.fail(ar.cause());
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
