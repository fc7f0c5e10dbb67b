package io.tracegate.cli;

import io.tracegate.report.GroupBy;
import io.tracegate.report.Report;
import io.tracegate.report.ReportCsv;
import io.tracegate.report.ReportQuery;
import io.tracegate.server.ApiJson;
import io.tracegate.server.TimeArgs;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code tracegate report}: token economics per rollout, attempt, model, backend, day or tag (docs/report.md). */
@Command(name = "report", mixinStandardHelpOptions = true,
    description = "Calls, tokens, cache hit rate, cost, rewards and latency per group; side by side with"
        + " --compare; where prompts stopped extending each other with --cache-breaks.")
final class ReportCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin SourceOptions source;

  @Option(names = "--by", paramLabel = "GROUP", defaultValue = "rollout",
      description = "rollout, attempt, model, backend, day or tag:KEY (KEY a rollout metadata key)"
          + " (default: ${DEFAULT-VALUE}).")
  String by;

  @Option(names = "--compare", paramLabel = "tag:KEY",
      description = "One column per value of the tag, with the relative difference to the first column.")
  String compare;

  @Option(names = "--baseline", paramLabel = "VALUE", description = "With --compare: the first column.")
  String baseline;

  @Option(names = "--rollout", converter = IdConverter.class, description = "Only this rollout.")
  String rollout;

  @Option(names = "--since", description = "Calls that started at or after: ISO-8601 instant, duration ago (15m,"
      + " 2h) or Unix nanoseconds.")
  String since;

  @Option(names = "--until", description = "Calls that started before (same forms as --since).")
  String until;

  @Option(names = "--model", description = "Only calls to this model (frontend or backend name).")
  String model;

  @Option(names = "--tag", paramLabel = "KEY=VALUE", description = "Only rollouts whose metadata has KEY=VALUE"
      + " (repeatable: all must match).")
  List<String> tags = List.of();

  @Option(names = "--cache-breaks", description = "With --rollout: for each call after the first, where its prompt"
      + " stopped extending the previous call's, beside the cache read the provider reported.")
  boolean cacheBreaks;

  @Option(names = "--csv", description = "Print CSV instead of a table.")
  boolean csv;

  @Override
  public Integer call() throws Exception {
    if (csv && source.json) {
      throw new ParameterException(spec.commandLine(), "give --json or --csv, not both");
    }
    ReportQuery query;
    try {
      query = query();
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    Report report;
    try (SpanSource src = source.open()) {
      report = src.report(query);
    }
    if (source.json) {
      System.out.println(new String(ApiJson.encode(report).getBytes(), StandardCharsets.UTF_8));
    } else if (csv) {
      Writer out = new OutputStreamWriter(System.out, StandardCharsets.UTF_8);
      ReportCsv.write(report, out);
      out.flush();
    } else {
      ReportTables.print(report, System.out);
    }
    return 0;
  }

  private ReportQuery query() {
    if (compare != null && spec.commandLine().getParseResult().hasMatchedOption("--by")) {
      throw new IllegalArgumentException("--compare groups by its tag: give --compare or --by, not both");
    }
    Map<String, String> filters = new LinkedHashMap<>();
    for (String t : tags) {
      Map.Entry<String, String> kv = ReportQuery.tagFilter(t);
      filters.put(kv.getKey(), kv.getValue());
    }
    return new ReportQuery(GroupBy.parse(compare != null ? compare : by), rollout,
        since == null ? null : TimeArgs.parseUnixNano(since), until == null ? null : TimeArgs.parseUnixNano(until),
        model, filters, compare != null, baseline, cacheBreaks);
  }
}
