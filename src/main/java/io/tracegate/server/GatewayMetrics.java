package io.tracegate.server;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.tracegate.auth.AccessDenied;
import io.tracegate.store.BatchingSpanWriter;
import io.tracegate.telemetry.Metrics;
import io.tracegate.telemetry.OtlpSpanExport;
import io.tracegate.upstream.ConnectionLimit;
import io.tracegate.upstream.routing.PauseGate;
import io.tracegate.upstream.routing.Routes;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.ToDoubleFunction;
import java.util.function.ToIntFunction;

/**
 * Counters the gateway keeps about itself, shared by all event loops (contention-free adders), and the
 * {@link Metrics} registry that {@code GET /metrics} renders them from ({@link #bind}). The number of proxied
 * requests answered is counted where the HTTP response ends, independently of the span pipeline, so "spans
 * persisted == requests answered" is a real check.
 */
public final class GatewayMetrics {
  private final LongAdder answered = new LongAdder();
  private final LongAdder answeredErrors = new LongAdder();
  private final LongAdder[] closed = new LongAdder[CloseReason.values().length];
  /** Requests the access guard refused before any handler (they record no span), by reason. */
  private final LongAdder[] refused = new LongAdder[AccessDenied.Reason.values().length];
  private final LongAdder retries = new LongAdder();
  private final LongAdder fallbacks = new LongAdder();
  private final ClientConnections clientConnections;
  /** The OTLP export, null when telemetry.otlp is not configured (its counters then stay 0). */
  private final OtlpSpanExport otlp;
  private final Metrics telemetry;

  /** Why the gateway closed a client's connection itself (server.*_timeout, shedding). */
  public enum CloseReason {
    HEADER_TIMEOUT("header_timeout"),
    BODY_TIMEOUT("body_timeout"),
    IDLE_TIMEOUT("idle_timeout"),
    /** Over server.shed_connections_above: closed to make room for new connections. */
    SHED("shed");

    final String label;

    CloseReason(String label) {
      this.label = label;
    }
  }

  GatewayMetrics(ClientConnections clientConnections, OtlpSpanExport otlp, Metrics telemetry) {
    this.clientConnections = clientConnections;
    this.otlp = otlp;
    this.telemetry = telemetry;
    for (int i = 0; i < closed.length; i++) {
      closed[i] = new LongAdder();
    }
    for (int i = 0; i < refused.length; i++) {
      refused[i] = new LongAdder();
    }
  }

  void refuse(AccessDenied.Reason reason) {
    refused[reason.ordinal()].increment();
  }

  /** Requests the access guard refused for {@code reason} (no span records them). */
  public long refused(AccessDenied.Reason reason) {
    return refused[reason.ordinal()].sum();
  }

  /** The meter registry behind {@code GET /metrics}, with the request histograms and usage counters. */
  public Metrics telemetry() {
    return telemetry;
  }

  /** The gateway's client connections (shared by every event loop). */
  ClientConnections connections() {
    return clientConnections;
  }

  /** Client connections open now, on every event loop. */
  public int clientConnections() {
    return clientConnections.open();
  }

  void connectionClosed(CloseReason reason) {
    closed[reason.ordinal()].increment();
  }

  /** Connections the gateway closed for {@code reason}. */
  public long connectionsClosed(CloseReason reason) {
    return closed[reason.ordinal()].sum();
  }

  void answered(int status) {
    answered.increment();
    if (status >= 400) {
      answeredErrors.increment();
    }
  }

  void retried() {
    retries.increment();
  }

  void fellBack() {
    fallbacks.increment();
  }

  /** Upstream attempts made after a request's first one (retries, on the same or another backend). */
  public long retries() {
    return retries.sum();
  }

  /** Requests answered by a backend other than the one first chosen for them. */
  public long fallbacks() {
    return fallbacks.sum();
  }

  public long answered() {
    return answered.sum();
  }

  public long answeredErrors() {
    return answeredErrors.sum();
  }

  /**
   * Registers these counters, the span writer's, the connection, routing and pause gauges in {@code registry}:
   * every one is read from its source when scraped (nothing is copied on the request path). Called once, after
   * the verticles (and the shared backend limits and routes) exist.
   */
  void bind(MeterRegistry registry, BatchingSpanWriter writer, Collection<ConnectionLimit> backends,
      PauseGate pause, Routes routes, Drain drain) {
    counter(registry, "tracegate.requests.answered", "Proxied requests answered (any status).", this,
        GatewayMetrics::answered);
    counter(registry, "tracegate.requests.failed", "Proxied requests answered with status >= 400.", this,
        GatewayMetrics::answeredErrors);
    gauge(registry, "tracegate.requests.in.flight",
        "Proxied requests in flight now (arrival to response end), plus requests still uploading a body.", drain,
        Drain::inFlight);
    counter(registry, "tracegate.spans.accepted", "Spans handed to the writer.", writer, w -> w.stats().accepted());
    counter(registry, "tracegate.spans.persisted", "Spans written to the store.", writer,
        w -> w.stats().persisted());
    counter(registry, "tracegate.spans.failed", "Spans the store or the recorder failed on.", writer,
        w -> w.stats().failed());
    counter(registry, "tracegate.spans.dropped", "Spans dropped because the writer queue was full.", writer,
        w -> w.stats().dropped());
    gauge(registry, "tracegate.span.writer.queue.depth", "Spans accepted but not yet taken by the writer.", writer,
        w -> w.health().queueDepth());
    gauge(registry, "tracegate.span.writer.queue.capacity",
        "Most spans the writer queue holds (store.queue_capacity); beyond it spans are dropped.", writer,
        w -> w.health().queueCapacity());
    counter(registry, "tracegate.span.writer.failed.writes", "Store writes (batches of spans) that failed.", writer,
        w -> w.health().failedWrites());
    gauge(registry, "tracegate.span.writer.failing.writes",
        "Consecutive failed store writes up to now; 0 once a write succeeds.", writer,
        w -> w.health().failingWrites());
    gauge(registry, "tracegate.span.queue.depth", "Deprecated: same as tracegate_span_writer_queue_depth.", writer,
        w -> w.stats().queueDepth());
    counter(registry, "tracegate.otlp.spans.exported", "Spans the OTLP collector accepted (0 when export is off).",
        this, m -> m.otlp == null ? 0 : m.otlp.exported());
    counter(registry, "tracegate.otlp.spans.dropped",
        "Spans not exported over OTLP: export queue full, export failed or timed out, or left at shutdown.", this,
        m -> m.otlp == null ? 0 : m.otlp.dropped());
    gauge(registry, "tracegate.client.connections", "Client connections open now.", this,
        GatewayMetrics::clientConnections);
    counter(registry, "tracegate.client.connections.accepted", "Client connections accepted (not refused).",
        clientConnections, ClientConnections::accepted);
    String closedHelp = "Client connections the gateway closed: slow headers or body, idle keep-alive, shed over"
        + " server.shed_connections_above, or refused when accepted while half as many again were open.";
    for (CloseReason r : CloseReason.values()) {
      FunctionCounter.builder("tracegate.connections.closed", this, m -> m.connectionsClosed(r))
          .description(closedHelp).tag("reason", r.label).register(registry);
    }
    FunctionCounter.builder("tracegate.connections.closed", clientConnections, ClientConnections::refused)
        .description(closedHelp).tag("reason", "refused").register(registry);
    for (AccessDenied.Reason r : AccessDenied.Reason.values()) {
      FunctionCounter.builder("tracegate.requests.refused", this, m -> m.refused(r))
          .description("Requests refused by the access checks before any handler (Origin, Host, content type,"
              + " missing or invalid key): they record no span.").tag("reason", r.code()).register(registry);
    }
    counter(registry, "tracegate.upstream.retries",
        "Upstream attempts made after a request's first one (on the same or another backend).", this,
        GatewayMetrics::retries);
    counter(registry, "tracegate.upstream.fallbacks",
        "Requests answered by a backend other than the one first chosen for them.", this, GatewayMetrics::fallbacks);
    gauge(registry, "tracegate.backends.in.cooldown",
        "Backends (of all models) skipped after repeated failures: cooling down or being probed.", routes,
        Routes::outOfService);
    gauge(registry, "tracegate.paused", "1 while POST /api/pause is in effect (for some or all models), else 0.",
        pause, p -> p.state().paused() ? 1 : 0);
    gauge(registry, "tracegate.pause.held.requests", "Requests held by a pause (hold mode), waiting for a resume.",
        pause, PauseGate::held);
    counter(registry, "tracegate.pause.rejected", "Requests answered 429 by a pause in reject mode.", pause,
        PauseGate::rejected);
    gauge(registry, "tracegate.pause.in.flight.requests",
        "Proxied requests that passed the pause gate and have not finished (GET /api/state in_flight).", pause,
        PauseGate::inFlight);
    backendGauge(registry, "tracegate.backend.connections.in.use",
        "Connections (permits of max_connections) a backend's calls hold now.", backends, ConnectionLimit::inUse);
    backendGauge(registry, "tracegate.backend.connections.max", "A backend's max_connections.", backends,
        ConnectionLimit::max);
    backendGauge(registry, "tracegate.backend.connections.waiting",
        "Calls waiting for a free connection to a backend (at most timeouts.pool_wait).", backends,
        ConnectionLimit::waiting);
  }

  /** One series per backend name (entries that share a name, e.g. the same base URL, are summed). */
  private static void backendGauge(MeterRegistry registry, String name, String help,
      Collection<ConnectionLimit> backends, ToIntFunction<ConnectionLimit> value) {
    Map<String, List<ConnectionLimit>> byName = new TreeMap<>();
    for (ConnectionLimit b : backends) {
      byName.computeIfAbsent(b.backend(), k -> new ArrayList<>()).add(b);
    }
    byName.forEach((backend, limits) -> Gauge.builder(name, limits, l -> {
      long sum = 0;
      for (ConnectionLimit c : l) {
        sum += value.applyAsInt(c);
      }
      return sum;
    }).description(help).tag("backend", backend).strongReference(true).register(registry));
  }

  private static <T> void gauge(MeterRegistry registry, String name, String help, T source,
      ToDoubleFunction<T> value) {
    Gauge.builder(name, source, value).description(help).strongReference(true).register(registry);
  }

  private static <T> void counter(MeterRegistry registry, String name, String help, T source,
      ToDoubleFunction<T> value) {
    FunctionCounter.builder(name, source, value).description(help).register(registry);
  }
}
