package io.tracegate.telemetry;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.distribution.pause.NoPauseDetector;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;

/**
 * The gateway's one meter registry: Micrometer's Prometheus registry (Prometheus client_java underneath), rendered
 * by {@code GET /metrics} in the Prometheus text format 0.0.4. Meters are registered once at start (or lazily, once
 * per bounded label set) and recorded through pre-resolved references; {@link #scrape()} reads them all.
 */
public final class Metrics {
  /** The content type of {@link #scrape()}. */
  public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
  /** The label value for a model or backend that is not configured (keeps label cardinality bounded). */
  public static final String OTHER = "other";
  /** The backend label of a request no backend was tried for (unknown model, rejected by a pause, ...). */
  public static final String NO_BACKEND = "none";

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final RequestMeters requests;
  private final UsageMeters usage;

  /**
   * @param models configured frontend model names (exact or globs), in config order
   * @param backends the labels of every configured backend (as spans name them)
   */
  public Metrics(List<String> models, List<String> backends) {
    // no GC-pause compensation: its interval estimator is synchronized and read on every record (event loops)
    registry.config().pauseDetector(new NoPauseDetector());
    ModelLabels labels = new ModelLabels(models);
    this.requests = new RequestMeters(registry, labels, backends);
    this.usage = new UsageMeters(registry, labels);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
  }

  /** Where other parts of the gateway register their meters (counters read at scrape time, gauges). */
  public MeterRegistry registry() {
    return registry;
  }

  /** Request duration, time to first token and upstream duration histograms. */
  public RequestMeters requests() {
    return requests;
  }

  /** Token and cost counters, fed from built spans. */
  public UsageMeters usage() {
    return usage;
  }

  /** Every meter in the Prometheus text format 0.0.4 ({@link #CONTENT_TYPE}). */
  public String scrape() {
    return registry.scrape();
  }
}
