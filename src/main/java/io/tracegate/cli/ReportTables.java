package io.tracegate.cli;

import io.tracegate.report.CacheBreak;
import io.tracegate.report.Comparison;
import io.tracegate.report.Report;
import io.tracegate.report.ReportRow;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/** The human tables of {@code tracegate report}: groups, the side-by-side comparison, cache breaks. */
final class ReportTables {
  private ReportTables() {}

  static void print(Report report, PrintStream out) {
    if (report.cacheBreaks() != null) {
      breaks(report.cacheBreaks(), out);
    } else if (report.comparison() != null) {
      comparison(report, out);
    } else {
      groups(report, out);
    }
    if (report.unpricedCalls() > 0) {
      out.println(report.unpricedCalls() + " call(s) had no price (model not in the pricing file): costs cover the"
          + " priced calls only");
    }
  }

  private static void groups(Report report, PrintStream out) {
    Table t = new Table(report.groupBy().toUpperCase(Locale.ROOT), "CALLS", "ERR", "RETRY", "ROLLOUTS", "IN",
        "CACHE RD", "WR 5M", "WR 1H", "OUT", "REASON", "HIT %", "COST $", "NO PRICE", "$/ROLLOUT", "$/REWARD>0",
        "REWARD", "P50 MS", "P95 MS", "TTFT P50", "WALL S");
    for (ReportRow r : report.groups()) {
      row(t, r.group(), r);
    }
    row(t, "(total)", report.total());
    t.print(out);
  }

  private static void row(Table t, String name, ReportRow r) {
    t.row(name, r.calls(), r.errors(), r.retries(), r.rollouts(), r.inputTokens(), r.cacheReadInputTokens(),
        r.cacheCreation5mInputTokens(), r.cacheCreation1hInputTokens(), r.outputTokens(), r.reasoningTokens(),
        percent(r.cacheHitRate()), Formats.usd(r.costUsd()), r.unpricedCalls(), Formats.usd(r.costPerRolloutUsd()),
        Formats.usd(r.costPerPositiveRolloutUsd()), number(r.meanReward(), "%.3f"), number(r.latencyP50Ms(), "%.1f"),
        number(r.latencyP95Ms(), "%.1f"), number(r.ttftP50Ms(), "%.1f"),
        number(r.wallTimeMs() == null ? null : r.wallTimeMs() / 1000, "%.1f"));
  }

  private static void comparison(Report report, PrintStream out) {
    Comparison c = report.comparison();
    List<String> headers = new ArrayList<>();
    headers.add(c.by().toUpperCase(Locale.ROOT));
    headers.addAll(c.columns());
    Table t = new Table(headers.toArray(String[]::new));
    for (Map.Entry<String, Function<ReportRow, Number>> metric : Comparison.METRICS.entrySet()) {
      List<Object> cells = new ArrayList<>();
      cells.add(metric.getKey());
      for (ReportRow column : report.groups()) {
        String value = cell(metric.getKey(), metric.getValue().apply(column));
        Double rel = c.relative().getOrDefault(column.group(), Map.of()).get(metric.getKey());
        cells.add(rel == null ? value : value + " (" + String.format(Locale.ROOT, "%+.1f%%", rel * 100) + ")");
      }
      t.row(cells.toArray());
    }
    t.print(out);
    out.println("relative differences are to the first column, " + c.baseline());
  }

  private static String cell(String metric, Number v) {
    if (v == null) {
      return "-";
    }
    if (metric.equals("cache_hit_rate")) {
      return percent(v.doubleValue()) + "%";
    }
    if (metric.contains("usd")) {
      return Formats.usd(v.doubleValue());
    }
    if (v instanceof Double d) {
      return String.format(Locale.ROOT, "%.3f", d);
    }
    return v.toString();
  }

  private static void breaks(List<CacheBreak> breaks, PrintStream out) {
    Table t = new Table("SEQ", "SPAN", "AFTER SEQ", "PROMPT STOPPED EXTENDING AT", "BYTE", "CACHE READ",
        "CACHE WRITE", "INPUT");
    for (CacheBreak b : breaks) {
      t.row(b.sequenceId(), b.spanId(), b.previousSequenceId(), b.extendsPrevious() ? "(extends it)" : b.where(),
          b.byteOffset(), b.cacheReadInputTokens(), b.cacheCreationInputTokens(), b.inputTokens());
    }
    t.print(out);
    out.println(breaks.size() + " call(s) after the first");
  }

  private static String percent(Double rate) {
    return rate == null ? null : String.format(Locale.ROOT, "%.1f", rate * 100);
  }

  private static String number(Double v, String format) {
    return v == null ? null : String.format(Locale.ROOT, format, v);
  }
}
