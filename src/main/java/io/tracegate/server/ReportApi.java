package io.tracegate.server;

import io.tracegate.report.GroupBy;
import io.tracegate.report.Report;
import io.tracegate.report.ReportCsv;
import io.tracegate.report.ReportEngine;
import io.tracegate.report.ReportQuery;
import io.tracegate.store.SpanStore;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.io.StringWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/report}: token economics grouped and filtered like {@code tracegate report} (docs/report.md).
 * The report streams over the store page by page on a worker thread (never an event loop), and renders there.
 * Parameters: {@code by}, {@code rollout_id}, {@code since}, {@code until}, {@code model}, {@code tag=KEY=VALUE}
 * (repeatable), {@code compare=tag:KEY} with {@code baseline}, {@code cache_breaks=true}, {@code format=json|csv}.
 */
final class ReportApi {
  private final SpanStore store;
  private final long pageBytes;

  ReportApi(SpanStore store, long pageBytes) {
    this.store = store;
    this.pageBytes = pageBytes;
  }

  void report(RoutingContext ctx) {
    ReportQuery query;
    boolean csv;
    try {
      query = query(ctx);
      String format = param(ctx, "format");
      if (format != null && !format.equals("json") && !format.equals("csv")) {
        throw new IllegalArgumentException("'format' must be json or csv, got '" + format + "'");
      }
      csv = "csv".equals(format);
    } catch (IllegalArgumentException e) {
      ctx.fail(new GatewayException(GatewayException.Kind.INVALID_REQUEST, e.getMessage()));
      return;
    }
    ApiReplies.typed(ctx, 200, csv ? "text/csv; charset=utf-8" : "application/json",
        ctx.vertx().executeBlocking(() -> {
          Report report;
          try {
            report = new ReportEngine(store, pageBytes).run(query);
          } catch (IllegalArgumentException e) {
            throw new GatewayException(GatewayException.Kind.INVALID_REQUEST, e.getMessage());
          }
          if (!csv) {
            return ApiJson.encode(report);
          }
          StringWriter out = new StringWriter();
          ReportCsv.write(report, out);
          return Buffer.buffer(out.toString());
        }, false));
  }

  static ReportQuery query(RoutingContext ctx) {
    String compare = param(ctx, "compare");
    String by = param(ctx, "by");
    if (compare != null && by != null && !by.equals(compare)) {
      throw new IllegalArgumentException("compare groups by its tag: give 'compare' or 'by', not both");
    }
    Map<String, String> tags = new LinkedHashMap<>();
    for (String t : ctx.queryParam("tag")) {
      Map.Entry<String, String> kv = ReportQuery.tagFilter(t);
      tags.put(kv.getKey(), kv.getValue());
    }
    return new ReportQuery(
        GroupBy.parse(compare != null ? compare : by != null ? by : "rollout"),
        RolloutIds.requireIfPresent("rollout_id", param(ctx, "rollout_id")),
        param(ctx, "since") == null ? null : TimeArgs.parseUnixNano(param(ctx, "since")),
        param(ctx, "until") == null ? null : TimeArgs.parseUnixNano(param(ctx, "until")),
        param(ctx, "model"), tags, compare != null, param(ctx, "baseline"),
        List.of("true", "1").contains(String.valueOf(param(ctx, "cache_breaks"))));
  }

  private static String param(RoutingContext ctx, String name) {
    String v = ctx.request().getParam(name);
    return v == null || v.isBlank() ? null : v;
  }
}
