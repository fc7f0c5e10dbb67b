package io.tracegate.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;

/**
 * A report: one row per group (ordered by group, or the comparison's columns), the total over every call it
 * covers, how many calls had no price, and, when asked for, the comparison and the cache breaks of a rollout.
 * This is also the JSON of {@code GET /api/report} (docs/report.md).
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"group_by", "groups", "total", "unpriced_calls", "comparison", "cache_breaks"})
public record Report(String groupBy, List<ReportRow> groups, ReportRow total, long unpricedCalls,
    Comparison comparison, List<CacheBreak> cacheBreaks) {

  public Report {
    groups = List.copyOf(groups);
    cacheBreaks = cacheBreaks == null ? null : List.copyOf(cacheBreaks);
  }
}
