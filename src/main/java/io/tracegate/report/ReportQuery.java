package io.tracegate.report;

import java.util.Map;

/**
 * What a report covers and how it groups. Null filters do not filter. {@code sinceUnixNano} / {@code untilUnixNano}
 * keep calls that started at or after / before them; {@code model} keeps calls whose frontend or backend model is
 * that name; {@code tags} keeps calls of rollouts whose metadata has every KEY=VALUE. {@code compare} asks for the
 * side-by-side view (then {@code groupBy} is a {@code tag:KEY} and {@code baseline}, when set, is its first
 * column); {@code cacheBreaks} asks for the cache-break diagnostics of the one rollout {@code rolloutId}.
 */
public record ReportQuery(GroupBy groupBy, String rolloutId, Long sinceUnixNano, Long untilUnixNano, String model,
    Map<String, String> tags, boolean compare, String baseline, boolean cacheBreaks) {

  public ReportQuery {
    groupBy = groupBy == null ? GroupBy.ROLLOUT : groupBy;
    tags = tags == null ? Map.of() : Map.copyOf(tags);
    if (compare && groupBy.kind() != GroupBy.Kind.TAG) {
      throw new IllegalArgumentException("compare needs a tag:KEY, e.g. tag:strategy");
    }
    if (baseline != null && !compare) {
      throw new IllegalArgumentException("a baseline is the first column of a comparison: give compare too");
    }
    if (cacheBreaks && rolloutId == null) {
      throw new IllegalArgumentException("cache breaks are found within one rollout: give its id");
    }
  }

  /** A grouping with no filter. */
  public static ReportQuery by(GroupBy groupBy) {
    return new ReportQuery(groupBy, null, null, null, null, Map.of(), false, null, false);
  }

  /** Parses {@code KEY=VALUE} (a {@code --tag} / {@code tag=} filter). */
  public static Map.Entry<String, String> tagFilter(String text) {
    int eq = text.indexOf('=');
    if (eq <= 0) {
      throw new IllegalArgumentException("a tag filter is KEY=VALUE, got '" + text + "'");
    }
    return Map.entry(text.substring(0, eq).trim(), text.substring(eq + 1).trim());
  }
}
