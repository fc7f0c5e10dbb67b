package io.tracegate.telemetry;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Latency histograms of proxied requests, labelled by frontend {@code model}, {@code backend} and {@code status}
 * class (2xx, 4xx, 5xx): {@code tracegate_request_duration_seconds} (arrival to outcome),
 * {@code tracegate_time_to_first_token_seconds} (arrival to the first streamed token) and
 * {@code tracegate_upstream_duration_seconds} (the answering attempt: sent to headers or failure). Labels come only
 * from configuration ({@code other} / {@code none} otherwise), so the series are bounded; each label set's timers
 * are registered on first use and kept in an array slot, so recording is two small lookups and three adds.
 * Thread-safe (any event loop).
 */
public final class RequestMeters {
  /** Bucket bounds shared by the three histograms: LLM calls take from milliseconds to minutes. */
  static final Duration[] BUCKETS = {
      Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
      Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
      Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30),
      Duration.ofSeconds(60), Duration.ofSeconds(120), Duration.ofSeconds(300)};
  private static final String[] STATUS_CLASSES = {"1xx", "2xx", "3xx", "4xx", "5xx"};

  private final MeterRegistry registry;
  private final ModelLabels models;
  private final Map<String, Integer> backendIndex = new HashMap<>();
  private final String[] backendLabels;
  private final AtomicReferenceArray<Series> slots;

  /** The three timers of one label set. */
  private record Series(Timer duration, Timer firstToken, Timer upstream) {}

  RequestMeters(MeterRegistry registry, ModelLabels models, List<String> backends) {
    this.registry = registry;
    this.models = models;
    List<String> labels = new ArrayList<>();
    for (String b : backends) {
      if (!backendIndex.containsKey(b)) {
        backendIndex.put(b, labels.size());
        labels.add(b);
      }
    }
    labels.add(Metrics.NO_BACKEND);
    labels.add(Metrics.OTHER);
    this.backendLabels = labels.toArray(String[]::new);
    this.slots = new AtomicReferenceArray<>(models.size() * backendLabels.length * STATUS_CLASSES.length);
  }

  /**
   * Records one request's outcome.
   *
   * @param model the frontend model name the client sent (may be null or unknown)
   * @param backend the label of the backend that served it last, or null when none was tried
   * @param status the HTTP status the client got (499 when it left)
   * @param durationNanos arrival to outcome
   * @param firstTokenNanos arrival to first token, or negative when no token came
   * @param upstreamNanos the answering attempt's duration, or negative when no attempt was made
   */
  public void record(String model, String backend, int status, long durationNanos, long firstTokenNanos,
      long upstreamNanos) {
    Series s = series(model, backend, status);
    s.duration.record(Math.max(0, durationNanos), TimeUnit.NANOSECONDS);
    if (firstTokenNanos >= 0) {
      s.firstToken.record(firstTokenNanos, TimeUnit.NANOSECONDS);
    }
    if (upstreamNanos >= 0) {
      s.upstream.record(upstreamNanos, TimeUnit.NANOSECONDS);
    }
  }

  private Series series(String model, String backend, int status) {
    int m = models.indexOf(model);
    int b = backendOf(backend);
    int c = Math.min(Math.max(status / 100, 1), 5) - 1;
    int slot = (m * backendLabels.length + b) * STATUS_CLASSES.length + c;
    Series s = slots.get(slot);
    if (s == null) { // first request of this label set: register (idempotent, so a race registers it once)
      s = register(models.label(m), backendLabels[b], STATUS_CLASSES[c]);
      slots.set(slot, s);
    }
    return s;
  }

  private int backendOf(String backend) {
    if (backend == null) {
      return backendLabels.length - 2;
    }
    Integer i = backendIndex.get(backend);
    return i == null ? backendLabels.length - 1 : i;
  }

  private Series register(String model, String backend, String status) {
    return new Series(
        timer("tracegate.request.duration", "Proxied requests from arrival until their outcome was decided.",
            model, backend, status),
        timer("tracegate.time.to.first.token",
            "Streamed requests from arrival until the first token reached the gateway.", model, backend, status),
        timer("tracegate.upstream.duration",
            "The answering upstream attempt: from sending it until its response headers (or its failure).",
            model, backend, status));
  }

  private Timer timer(String name, String help, String model, String backend, String status) {
    return Timer.builder(name).description(help)
        .tags("model", model, "backend", backend, "status", status)
        .serviceLevelObjectives(BUCKETS)
        .register(registry);
  }
}
