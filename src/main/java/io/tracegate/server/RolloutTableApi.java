package io.tracegate.server;

import io.tracegate.store.RolloutTableQuery;
import io.tracegate.store.SpanStore;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/**
 * {@code GET /api/rollout-table}: one page of the rollouts list with the columns the trace UI shows, filtered and
 * paginated by the store ({@link SpanStore#rolloutTable}) on a worker thread.
 */
final class RolloutTableApi {
  private final SpanStore store;

  RolloutTableApi(SpanStore store) {
    this.store = store;
  }

  void table(RoutingContext ctx) {
    RolloutTableQuery query;
    try {
      String tag = param(ctx, "tag");
      int eq = tag == null ? -1 : tag.indexOf('=');
      if (tag != null && eq <= 0) {
        throw new IllegalArgumentException("'tag' must be KEY=VALUE, got '" + tag + "'");
      }
      query = new RolloutTableQuery(param(ctx, "q"), param(ctx, "model"), param(ctx, "status"),
          tag == null ? null : tag.substring(0, eq), tag == null ? null : tag.substring(eq + 1),
          time(ctx, "since"), time(ctx, "until"), integer(ctx, "offset", 0),
          integer(ctx, "limit", RolloutTableQuery.DEFAULT_LIMIT));
    } catch (IllegalArgumentException e) {
      ctx.fail(new GatewayException(GatewayException.Kind.INVALID_REQUEST, e.getMessage()));
      return;
    }
    ApiReplies.fromWorker(ctx, 200, () -> {
      var page = store.rolloutTable(query);
      java.util.Map<String, Object> out = new java.util.LinkedHashMap<>();
      out.put("rollouts", page.rows());
      out.put("total", page.total());
      out.put("next_offset", page.nextOffset());
      return ApiJson.encode(out);
    });
  }

  private static Long time(RoutingContext ctx, String name) {
    String v = param(ctx, name);
    try {
      return v == null ? null : TimeArgs.parseUnixNano(v);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("'" + name + "': " + e.getMessage());
    }
  }

  private static int integer(RoutingContext ctx, String name, int absent) {
    String v = param(ctx, name);
    if (v == null) {
      return absent;
    }
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + name + "' must be an integer, got '" + v + "'");
    }
  }

  private static String param(RoutingContext ctx, String name) {
    List<String> all = ctx.queryParam(name);
    String v = all.isEmpty() ? null : all.get(0);
    return v == null || v.isEmpty() ? null : v;
  }
}
