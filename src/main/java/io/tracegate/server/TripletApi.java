package io.tracegate.server;

import io.tracegate.dataset.AdapterOptions;
import io.tracegate.dataset.DatasetExporter;
import io.tracegate.dataset.ExportFilter;
import io.tracegate.dataset.ExportSummary;
import io.tracegate.dataset.JsonlDatasetWriter;
import io.tracegate.dataset.Semantics;
import io.tracegate.dataset.TrainerSchema;
import io.vertx.core.Context;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /api/triplets}: streams the training triplets of the store as JSONL while they are computed,
 * one rollout at a time on a worker thread, so memory stays bounded whatever the store's size. Filters and
 * adapter options as {@code tracegate export}: {@code rollout_id}, {@code attempt} (latest|all|id),
 * {@code since}, {@code model}, {@code min_reward}, {@code model_version}, {@code min_version}, {@code max_staleness},
 * {@code reward_mode}, {@code merge}, {@code schema}, {@code group_stats}, {@code semantics}. The export summary
 * (triplets written, skipped by reason, continuing and drifted calls) is sent as the HTTP trailer
 * {@code tracegate-export-summary}.
 */
final class TripletApi {
  private final GatewayServices services;

  TripletApi(GatewayServices services) {
    this.services = services;
  }

  void triplets(RoutingContext ctx) {
    ExportFilter filter;
    AdapterOptions options;
    TrainerSchema schema;
    boolean groupStats = Boolean.parseBoolean(ctx.request().getParam("group_stats"));
    try {
      String since = ctx.request().getParam("since");
      String minReward = ctx.request().getParam("min_reward");
      String maxStaleness = blank(ctx.request().getParam("max_staleness"));
      filter = new ExportFilter(
          RolloutIds.requireIfPresent("rollout_id", ctx.request().getParam("rollout_id")),
          RolloutIds.requireIfPresent("attempt", ctx.request().getParam("attempt")),
          since == null || since.isBlank() ? null : TimeArgs.parseUnixNano(since),
          blank(ctx.request().getParam("model")),
          minReward == null || minReward.isBlank() ? null : Double.valueOf(minReward),
          blank(ctx.request().getParam("model_version")),
          blank(ctx.request().getParam("min_version")),
          maxStaleness == null ? null : Long.valueOf(maxStaleness));
      String mode = ctx.request().getParam("reward_mode");
      options = AdapterOptions.parse(mode == null || mode.isBlank() ? "matched" : mode,
          Boolean.parseBoolean(ctx.request().getParam("merge")))
          .withSemantics(Semantics.parse(ctx.request().getParam("semantics")));
      schema = TrainerSchema.parse(ctx.request().getParam("schema"));
      if (options.semantics() == Semantics.AGL_V1 && !ExportFilter.LATEST.equals(filter.attempt())) {
        throw new IllegalArgumentException("semantics agl-v1 exports each rollout's latest attempt only: leave"
            + " attempt at latest");
      }
    } catch (IllegalArgumentException e) {
      ctx.fail(new GatewayException(GatewayException.Kind.INVALID_REQUEST, e.getMessage()));
      return;
    }
    HttpServerResponse response = ctx.response().setChunked(true)
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/x-ndjson");
    Context context = ctx.vertx().getOrCreateContext();
    ctx.vertx().executeBlocking(() -> {
      try (ResponseOutputStream out = new ResponseOutputStream(context, response);
          JsonlDatasetWriter writer = new JsonlDatasetWriter(out, schema, groupStats)) {
        return new DatasetExporter(services.store(), options, groupStats).export(filter, writer, null);
      }
    }, false).onComplete(ar -> context.runOnContext(v -> {
      // queued behind the chunks the worker posted: an export that finished before this listener was
      // attached would otherwise end the response before its last chunk is written
      try {
        if (ar.succeeded()) {
          ExportSummary summary = ar.result();
          response.putTrailer("tracegate-export-summary", "triplets=" + summary.triplets()
              + " skipped=" + summary.skipped() + " continuing=" + summary.continuing()
              + " drifted=" + summary.drifted());
          response.end();
        } else {
          failed(ctx, response, ar.cause());
        }
      } catch (Throwable t) {
        failed(ctx, response, t);
      }
    }));
  }

  /** Before the headers: a JSON error from the failure handler; after them, the stream is cut (incomplete). */
  private static void failed(RoutingContext ctx, HttpServerResponse response, Throwable cause) {
    if (!response.headWritten()) {
      ApiReplies.fail(ctx, cause);
    } else if (!response.ended()) {
      response.reset();
    }
  }

  private static String blank(String v) {
    return v == null || v.isBlank() ? null : v;
  }
}
