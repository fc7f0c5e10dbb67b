package io.tracegate.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The side-by-side view of a {@code tag:KEY} report: one column per value, the first ({@code baseline}) being the
 * reference; {@code relative} gives, per other column and metric, (value - baseline) / baseline, null when either
 * is unknown or the baseline is 0.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.ALWAYS)
public record Comparison(String by, String baseline, List<String> columns,
    Map<String, Map<String, Double>> relative) {

  /** The metrics compared, by their JSON name, in display order. */
  public static final Map<String, Function<ReportRow, Number>> METRICS = metrics();

  static Comparison of(String by, List<ReportRow> columns) {
    Map<String, Map<String, Double>> relative = new LinkedHashMap<>();
    ReportRow first = columns.isEmpty() ? null : columns.get(0);
    for (ReportRow column : columns.subList(Math.min(1, columns.size()), columns.size())) {
      Map<String, Double> diffs = new LinkedHashMap<>();
      METRICS.forEach((name, metric) -> diffs.put(name, relative(metric.apply(column), metric.apply(first))));
      relative.put(column.group(), diffs);
    }
    return new Comparison(by, first == null ? null : first.group(),
        columns.stream().map(ReportRow::group).toList(), relative);
  }

  static Double relative(Number value, Number baseline) {
    if (value == null || baseline == null || baseline.doubleValue() == 0) {
      return null;
    }
    return (value.doubleValue() - baseline.doubleValue()) / baseline.doubleValue();
  }

  private static Map<String, Function<ReportRow, Number>> metrics() {
    Map<String, Function<ReportRow, Number>> m = new LinkedHashMap<>();
    m.put("calls", ReportRow::calls);
    m.put("errors", ReportRow::errors);
    m.put("retries", ReportRow::retries);
    m.put("rollouts", ReportRow::rollouts);
    m.put("input_tokens", ReportRow::inputTokens);
    m.put("cache_read_input_tokens", ReportRow::cacheReadInputTokens);
    m.put("cache_creation_5m_input_tokens", ReportRow::cacheCreation5mInputTokens);
    m.put("cache_creation_1h_input_tokens", ReportRow::cacheCreation1hInputTokens);
    m.put("output_tokens", ReportRow::outputTokens);
    m.put("reasoning_tokens", ReportRow::reasoningTokens);
    m.put("cache_hit_rate", ReportRow::cacheHitRate);
    m.put("cost_usd", ReportRow::costUsd);
    m.put("unpriced_calls", ReportRow::unpricedCalls);
    m.put("cost_per_rollout_usd", ReportRow::costPerRolloutUsd);
    m.put("cost_per_positive_rollout_usd", ReportRow::costPerPositiveRolloutUsd);
    m.put("mean_reward", ReportRow::meanReward);
    m.put("latency_p50_ms", ReportRow::latencyP50Ms);
    m.put("latency_p95_ms", ReportRow::latencyP95Ms);
    m.put("ttft_p50_ms", ReportRow::ttftP50Ms);
    m.put("wall_time_ms", ReportRow::wallTimeMs);
    return java.util.Collections.unmodifiableMap(m);
  }
}
