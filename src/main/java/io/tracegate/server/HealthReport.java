package io.tracegate.server;

import io.tracegate.store.WriterHealth;
import io.tracegate.store.WriterStats;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code GET /health}: {@code "ok"}, or {@code "degraded"} with the reasons while spans are not being stored:
 * the latest store write failed (until a write succeeds again), or the writer queue is more than 90% full.
 * Proxying goes on either way (storage never fails a request), so the status code is 200 unless the caller
 * asks {@code ?strict}, which turns degraded into 503 for load balancers and probes that only read the code.
 */
record HealthReport(String status, List<String> reasons, JsonObject store) {
  static final String OK = "ok";
  static final String DEGRADED = "degraded";

  static HealthReport of(String storeKind, WriterStats stats, WriterHealth health) {
    List<String> reasons = new ArrayList<>();
    if (health.writesFailing()) {
      reasons.add("span writes failing: the last " + health.failingWrites() + " write(s) to the store failed ("
          + (health.failingSpans() == 0 ? "store unreachable: spans kept in the queue and retried"
              : health.failingSpans() + " spans lost") + "), latest at "
          + Instant.ofEpochMilli(health.lastFailureUnixMillis()) + ": " + health.lastError());
    }
    if (health.queueNearlyFull()) {
      reasons.add(String.format(Locale.ROOT, "span writer queue %d%% full (%d of %d)",
          percent(health.queueDepth(), health.queueCapacity()), health.queueDepth(), health.queueCapacity()));
    }
    JsonObject store = new JsonObject()
        .put("kind", storeKind)
        .put("accepted", stats.accepted())
        .put("persisted", stats.persisted())
        .put("failed", stats.failed())
        .put("dropped", stats.dropped())
        .put("queued", stats.queueDepth())
        .put("queue_capacity", health.queueCapacity())
        .put("failed_writes", health.failedWrites())
        .put("writes_failing", health.writesFailing())
        .put("last_write_error", health.lastError());
    return new HealthReport(reasons.isEmpty() ? OK : DEGRADED, List.copyOf(reasons), store);
  }

  /** 200, or 503 when degraded and the caller asked {@code ?strict}. */
  int httpStatus(boolean strict) {
    return strict && !OK.equals(status) ? 503 : 200;
  }

  JsonObject json() {
    JsonObject out = new JsonObject().put("status", status);
    if (!reasons.isEmpty()) {
      out.put("reason", String.join("; ", reasons));
    }
    return out.put("store", store);
  }

  /** {@code ?strict}, {@code ?strict=true} or {@code ?strict=1}; {@code false}/{@code 0} or absent: not strict. */
  static boolean strict(String param) {
    return param != null && !param.equalsIgnoreCase("false") && !param.equals("0");
  }

  private static long percent(int depth, int capacity) {
    return capacity == 0 ? 100 : Math.round(100.0 * depth / capacity);
  }
}
