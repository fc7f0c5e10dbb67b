package io.tracegate.server;

import io.tracegate.store.WriterHealth;
import io.tracegate.store.WriterStats;
import io.tracegate.telemetry.OtlpSpanExport;
import io.tracegate.upstream.ConnectionLimit;
import io.tracegate.upstream.routing.PauseGate;
import io.tracegate.upstream.routing.Routes;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.ToIntFunction;

/**
 * Counters the gateway keeps about itself, shared by all event loops (contention-free adders). The number of
 * proxied requests answered is counted where the HTTP response ends, independently of the span pipeline,
 * so "spans persisted == requests answered" is a real check.
 */
public final class GatewayMetrics {
  private final LongAdder answered = new LongAdder();
  private final LongAdder answeredErrors = new LongAdder();
  private final LongAdder[] closed = new LongAdder[CloseReason.values().length];
  private final LongAdder retries = new LongAdder();
  private final LongAdder fallbacks = new LongAdder();
  private final ClientConnections clientConnections;
  /** The OTLP export, null when telemetry.otlp is not configured (its counters then stay 0). */
  private final OtlpSpanExport otlp;

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

  GatewayMetrics(ClientConnections clientConnections) {
    this(clientConnections, null);
  }

  GatewayMetrics(ClientConnections clientConnections, OtlpSpanExport otlp) {
    this.clientConnections = clientConnections;
    this.otlp = otlp;
    for (int i = 0; i < closed.length; i++) {
      closed[i] = new LongAdder();
    }
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

  /** Prometheus text exposition of these counters and the span writer's. */
  String prometheus(WriterStats writer, WriterHealth health, Collection<ConnectionLimit> backends, PauseGate pause,
      Routes routes) {
    StringBuilder sb = new StringBuilder(512);
    counter(sb, "tracegate_requests_answered_total", "Proxied requests answered (any status).", answered());
    counter(sb, "tracegate_requests_failed_total", "Proxied requests answered with status >= 400.",
        answeredErrors());
    counter(sb, "tracegate_spans_accepted_total", "Spans handed to the writer.", writer.accepted());
    counter(sb, "tracegate_spans_persisted_total", "Spans written to the store.", writer.persisted());
    counter(sb, "tracegate_spans_failed_total", "Spans the store or the recorder failed on.", writer.failed());
    counter(sb, "tracegate_spans_dropped_total", "Spans dropped because the writer queue was full.",
        writer.dropped());
    gauge(sb, "tracegate_span_writer_queue_depth", "Spans accepted but not yet taken by the writer.",
        health.queueDepth());
    gauge(sb, "tracegate_span_writer_queue_capacity",
        "Most spans the writer queue holds (store.queue_capacity); beyond it spans are dropped.",
        health.queueCapacity());
    counter(sb, "tracegate_span_writer_failed_writes_total", "Store writes (batches of spans) that failed.",
        health.failedWrites());
    gauge(sb, "tracegate_span_writer_failing_writes",
        "Consecutive failed store writes up to now; 0 once a write succeeds.", health.failingWrites());
    gauge(sb, "tracegate_span_queue_depth", "Deprecated: same as tracegate_span_writer_queue_depth.",
        writer.queueDepth());
    counter(sb, "tracegate_otlp_spans_exported_total", "Spans the OTLP collector accepted (0 when export is off).",
        otlp == null ? 0 : otlp.exported());
    counter(sb, "tracegate_otlp_spans_dropped_total",
        "Spans not exported over OTLP: export queue full, export failed or timed out, or left at shutdown.",
        otlp == null ? 0 : otlp.dropped());
    gauge(sb, "tracegate_client_connections", "Client connections open now.", clientConnections());
    counter(sb, "tracegate_client_connections_accepted_total", "Client connections accepted (not refused).",
        clientConnections.accepted());
    sb.append("# HELP tracegate_connections_closed_total Client connections the gateway closed: slow headers"
        + " or body, idle keep-alive, shed over server.shed_connections_above, or refused when accepted while half as many"
        + " again were open.\n").append("# TYPE tracegate_connections_closed_total counter\n");
    for (CloseReason r : CloseReason.values()) {
      sb.append("tracegate_connections_closed_total{reason=\"").append(r.label).append("\"} ")
          .append(connectionsClosed(r)).append('\n');
    }
    sb.append("tracegate_connections_closed_total{reason=\"refused\"} ").append(clientConnections.refused())
        .append('\n');
    counter(sb, "tracegate_upstream_retries_total",
        "Upstream attempts made after a request's first one (on the same or another backend).", retries());
    counter(sb, "tracegate_upstream_fallbacks_total",
        "Requests answered by a backend other than the one first chosen for them.", fallbacks());
    gauge(sb, "tracegate_backends_in_cooldown",
        "Backends (of all models) skipped after repeated failures: cooling down or being probed.",
        routes.outOfService());
    gauge(sb, "tracegate_paused", "1 while POST /api/pause is in effect (for some or all models), else 0.",
        pause.state().paused() ? 1 : 0);
    gauge(sb, "tracegate_pause_held_requests", "Requests held by a pause (hold mode), waiting for a resume.",
        pause.held());
    counter(sb, "tracegate_pause_rejected_total", "Requests answered 429 by a pause in reject mode.",
        pause.rejected());
    gauge(sb, "tracegate_pause_in_flight_requests",
        "Proxied requests that passed the pause gate and have not finished (GET /api/state in_flight).",
        pause.inFlight());
    backendGauge(sb, "tracegate_backend_connections_in_use",
        "Connections (permits of max_connections) a backend's calls hold now.", backends, ConnectionLimit::inUse);
    backendGauge(sb, "tracegate_backend_connections_max", "A backend's max_connections.", backends,
        ConnectionLimit::max);
    backendGauge(sb, "tracegate_backend_connections_waiting",
        "Calls waiting for a free connection to a backend (at most timeouts.pool_wait).", backends,
        ConnectionLimit::waiting);
    return sb.toString();
  }

  /** One series per backend name (entries that share a name, e.g. the same base URL, are summed). */
  private static void backendGauge(StringBuilder sb, String name, String help, Collection<ConnectionLimit> backends,
      ToIntFunction<ConnectionLimit> value) {
    sb.append("# HELP ").append(name).append(' ').append(help).append('\n')
        .append("# TYPE ").append(name).append(" gauge\n");
    Map<String, Long> byName = new TreeMap<>();
    for (ConnectionLimit b : backends) {
      byName.merge(b.backend(), (long) value.applyAsInt(b), Long::sum);
    }
    byName.forEach((backend, v) -> sb.append(name).append("{backend=\"").append(labelValue(backend))
        .append("\"} ").append(v).append('\n'));
  }

  /** A Prometheus label value: backslash, double quote and line feed escaped. */
  private static String labelValue(String s) {
    return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }

  private static void gauge(StringBuilder sb, String name, String help, long value) {
    sb.append("# HELP ").append(name).append(' ').append(help).append('\n')
        .append("# TYPE ").append(name).append(" gauge\n")
        .append(name).append(' ').append(value).append('\n');
  }

  private static void counter(StringBuilder sb, String name, String help, long value) {
    sb.append("# HELP ").append(name).append(' ').append(help).append('\n')
        .append("# TYPE ").append(name).append(" counter\n")
        .append(name).append(' ').append(value).append('\n');
  }
}
