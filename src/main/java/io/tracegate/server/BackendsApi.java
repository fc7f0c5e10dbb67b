package io.tracegate.server;

import io.tracegate.upstream.routing.BackendHealth;
import io.tracegate.upstream.routing.RecentCalls;
import io.tracegate.upstream.routing.Route;
import io.tracegate.upstream.routing.RouteBackend;
import io.tracegate.upstream.routing.Routes;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** {@code GET /api/backends}: every backend of every model with its health, load and recent attempts. */
final class BackendsApi {
  private BackendsApi() {}

  /** Read from atomics only: cheap, and answered on the event loop. See docs/http-api.md. */
  static JsonObject json(Routes routes) {
    JsonArray list = new JsonArray();
    for (Route route : routes.all()) {
      for (RouteBackend b : route.backends()) {
        RecentCalls.Summary recent = b.recent().summary();
        BackendHealth health = b.health();
        list.add(new JsonObject()
            .put("model", route.model().name())
            .put("strategy", route.model().strategy().id())
            .put("name", b.name())
            .put("provider", b.config().provider().id())
            .put("base_url", b.config().baseUrl())
            .put("weight", b.weight())
            .put("state", health.state().id())
            .put("cooldown_remaining_ms", health.cooldownRemainingMillis())
            .put("consecutive_failures", health.consecutiveFailures())
            .put("cooldowns", health.cooldownsStarted())
            .put("in_flight", b.inFlight())
            .put("recent", new JsonObject()
                .put("window_seconds", RecentCalls.WINDOW_SECONDS)
                .put("attempts", recent.calls())
                .put("errors", recent.errors())
                .put("error_rate", recent.errorRate())
                .put("latency_ms_mean", recent.meanLatencyMillis())));
      }
    }
    return new JsonObject().put("backends", list);
  }
}
