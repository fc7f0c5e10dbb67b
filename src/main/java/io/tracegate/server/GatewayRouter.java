package io.tracegate.server;

import io.tracegate.telemetry.Metrics;
import io.tracegate.upstream.BackendPool;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.PlatformHandler;

/** The HTTP surface: provider-compatible endpoints (plain and under the rollout prefix), API, health. */
final class GatewayRouter {
  static final String ROLLOUT_PREFIX = "/rollout/:" + RolloutScope.ROLLOUT_PARAM + "/attempt/:"
      + RolloutScope.ATTEMPT_PARAM;

  private GatewayRouter() {}

  static Router build(Vertx vertx, GatewayServices services, BackendPool backends, ConnectionTimeouts timeouts) {
    Router router = Router.router(vertx);
    // before every body handler: a body that does not arrive in time fails the route (408, with its span). A
    // platform handler, as vert.x-web wants handlers that run before the body handler to be.
    PlatformHandler watchBody = ctx -> {
      services.drain().receiving(ctx);
      timeouts.watchBody(ctx);
    };
    // Preallocate from Content-Length (Vert.x caps it at 64 KiB): the default 1 KiB buffer doubles its way up,
    // seven copies of a Claude Code-sized (86 KB) request on the event loop instead of one.
    BodyHandler body = BodyHandler.create(false).setBodyLimit(services.config().server().maxBodyBytes())
        .setPreallocateBodyBuffer(true);
    CountTokensHandler countTokens = new CountTokensHandler(services, backends);
    // access first, before any body is read: Host, Origin, content type, admin key, virtual keys
    router.route().handler(new AccessGuard(services.config().access(), services.config().server().host(),
        services.keys(), services.metrics()));
    // a request that arrives once shutdown has begun (on a kept-alive connection) is refused
    router.route().handler(ctx -> {
      if (services.drain().draining()) {
        refuseWhileDraining(ctx, services);
      } else {
        ctx.next();
      }
    });
    for (String prefix : new String[] {"", ROLLOUT_PREFIX}) {
      for (ProxyEndpoint endpoint : ProxyEndpoint.values()) {
        router.post(prefix + endpoint.path()).handler(watchBody).handler(body)
            .handler(new ProxyHandler(services, backends, endpoint));
      }
      router.post(prefix + "/v1/messages/count_tokens").handler(watchBody).handler(body).handler(countTokens);
      // Claude Code probes its base URL at start-up
      router.route(prefix + "/api/hello").handler(ctx -> ctx.response().end());
      router.get(prefix + "/v1/models").handler(ctx -> models(ctx, services));
      router.get(prefix + "/health").handler(ctx -> health(ctx, services));
    }
    SpanApi api = new SpanApi(services.store(), services.config().server().maxApiPageBytes());
    router.get("/metrics").handler(ctx -> ctx.response()
        .putHeader(HttpHeaders.CONTENT_TYPE, Metrics.CONTENT_TYPE)
        .end(services.metrics().telemetry().scrape()));
    router.get("/api/backends").handler(ctx -> ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .end(BackendsApi.json(backends.routes()).toBuffer()));
    router.get("/api/spans").handler(api::spans);
    router.get("/api/spans/:span_id").handler(api::span);
    router.get("/api/rollouts").handler(api::rollouts);
    router.get("/api/rollouts/:rollout_id").handler(api::rollout);
    router.get("/api/rollout-table").handler(new RolloutTableApi(services.store())::table);
    router.get("/api/events").handler(new LiveEvents(services.writer(), services.drain())::events);
    UiRoutes.mount(router);
    RolloutApi rollouts = new RolloutApi(services);
    BodyHandler apiBody = BodyHandler.create(false).setBodyLimit(1 << 20);
    router.post("/api/rollouts").handler(watchBody).handler(apiBody).handler(rollouts::create);
    router.post("/api/rollouts/:rollout_id/attempts").handler(watchBody).handler(apiBody)
        .handler(rollouts::newAttempt);
    router.post("/api/rollouts/:rollout_id/rewards").handler(watchBody).handler(apiBody).handler(rollouts::reward);
    router.get("/api/report")
        .handler(new ReportApi(services.store(), services.config().server().maxApiPageBytes())::report);
    router.get("/api/triplets").handler(new TripletApi(services)::triplets);
    PauseApi pause = new PauseApi(services.pauseGate());
    router.post("/api/pause").handler(watchBody).handler(apiBody).handler(pause::pause);
    router.post("/api/resume").handler(watchBody).handler(apiBody).handler(pause::resume);
    router.get("/api/state").handler(pause::state);
    KeysApi keys = new KeysApi(services);
    router.post("/api/keys").handler(watchBody).handler(apiBody).handler(keys::create);
    router.get("/api/keys").handler(keys::list);
    router.delete("/api/keys/:key_id").handler(keys::revoke);
    router.route().failureHandler(ctx -> failure(ctx, services));
    router.errorHandler(404, ctx -> notFound(ctx));
    router.errorHandler(405, ctx -> respond(ctx, ErrorMapper.fromStatus(405, ctx.request().method() + " "
        + ctx.request().path() + " is not allowed")));
    return router;
  }

  private static void models(RoutingContext ctx, GatewayServices services) {
    JsonArray data = new JsonArray();
    for (String name : services.router().exactNames()) {
      data.add(new JsonObject().put("id", name).put("object", "model").put("created", 0)
          .put("owned_by", "tracegate"));
    }
    ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .end(new JsonObject().put("object", "list").put("data", data).toBuffer());
  }

  private static void health(RoutingContext ctx, GatewayServices services) {
    HealthReport report = HealthReport.of(services.store().describe(), services.writer().stats(),
        services.writer().health());
    ctx.response().setStatusCode(report.httpStatus(HealthReport.strict(ctx.request().getParam("strict"))))
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(report.json().toBuffer());
  }

  /**
   * Failures that escaped a handler, or happened before it ran (413 from the body limit). A proxy request
   * that never reached its handler still gets its one span here. Should mapping the failure fail too, the
   * client still gets a 500 (or, after its headers, a cut connection): no request is left without an answer.
   */
  private static void failure(RoutingContext ctx, GatewayServices services) {
    try {
      mapFailure(ctx, services);
    } catch (Throwable t) {
      if (!ctx.response().ended()) {
        respond(ctx, ErrorMapper.fromStatus(500, "internal error: " + t));
      }
    }
  }

  private static void mapFailure(RoutingContext ctx, GatewayServices services) {
    Throwable cause = ctx.failure();
    ErrorMapper.MappedError error = cause != null ? ErrorMapper.map(cause)
        : ErrorMapper.fromStatus(ctx.statusCode() > 0 ? ctx.statusCode() : 500, null);
    ProxyCall call = ctx.get(ProxyCall.CONTEXT_KEY);
    ProxyEndpoint endpoint = ProxyEndpoint.ofPath(ctx.request().path());
    if (call == null && endpoint != null && ctx.request().method() == io.vertx.core.http.HttpMethod.POST) {
      call = ProxyCalls.begin(ctx, services, endpoint.protocol(), endpoint.path(), endpoint.anthropic());
    }
    if (call != null && cause == Drain.SHUTDOWN_CUT) {
      call.cutForShutdown();
      return;
    }
    if (call != null) {
      call.fail(cause != null ? cause : new GatewayException(kindOf(error.status()), error.message()));
      return;
    }
    respond(ctx, error);
  }

  private static void refuseWhileDraining(RoutingContext ctx, GatewayServices services) {
    ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
    GatewayException shuttingDown = new GatewayException(GatewayException.Kind.SERVICE_UNAVAILABLE,
        "the gateway is shutting down");
    ProxyEndpoint endpoint = ProxyEndpoint.ofPath(ctx.request().path());
    if (endpoint != null && ctx.request().method() == io.vertx.core.http.HttpMethod.POST) {
      // a proxy request still gets its one span
      ProxyCalls.begin(ctx, services, endpoint.protocol(), endpoint.path(), endpoint.anthropic()).fail(shuttingDown);
    } else {
      respond(ctx, ErrorMapper.map(shuttingDown));
    }
  }

  private static GatewayException.Kind kindOf(int status) {
    return status == 413 ? GatewayException.Kind.PAYLOAD_TOO_LARGE
        : status == 400 ? GatewayException.Kind.INVALID_REQUEST : GatewayException.Kind.INTERNAL;
  }

  private static void notFound(RoutingContext ctx) {
    respond(ctx, ErrorMapper.fromStatus(404, "no route for " + ctx.request().method() + " "
        + ctx.request().path()));
  }

  private static void respond(RoutingContext ctx, ErrorMapper.MappedError error) {
    if (ctx.response().headWritten()) {
      ctx.response().reset();
      return;
    }
    boolean anthropic = ctx.request().path().contains("/v1/messages");
    ctx.response().setStatusCode(error.status()).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .end(anthropic ? ErrorMapper.anthropicBody(error) : ErrorMapper.openAiBody(error));
  }
}
