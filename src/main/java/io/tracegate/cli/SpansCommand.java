package io.tracegate.cli;

import io.tracegate.server.SpanJson;
import io.tracegate.server.TimeArgs;
import io.tracegate.store.SpanPage;
import io.tracegate.store.SpanQuery;
import io.tracegate.trace.Span;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code tracegate spans}: lists recorded spans, oldest first, or newest first with --order desc / --last N. */
@Command(name = "spans", mixinStandardHelpOptions = true,
    description = "List recorded spans, oldest first (--order desc or --last N: newest first).")
final class SpansCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin SourceOptions source;

  @Option(names = "--rollout", converter = IdConverter.class, description = "Only this rollout.")
  String rollout;

  @Option(names = "--attempt", converter = IdConverter.class, description = "Only this attempt.")
  String attempt;

  @Option(names = "--kind", description = "llm, reward or annotation.")
  String kind;

  @Option(names = "--since", description = "ISO-8601 instant, duration ago (15m, 2h) or Unix nanoseconds.")
  String since;

  @Option(names = "--limit", description = "At most this many spans (default: 100).")
  Integer limit;

  @Option(names = "--order", description = "asc (oldest first, the default) or desc (newest first).")
  SpanQuery.Order order;

  @Option(names = "--last", paramLabel = "N", description = "The newest N spans, newest first (--order desc --limit N).")
  Integer last;

  @Option(names = "--count", description = "Print only how many spans match (limit ignored).")
  boolean count;

  @Override
  public Integer call() throws Exception {
    if (last != null && (limit != null || order != null)) {
      throw new ParameterException(spec.commandLine(), "--last N is --order desc --limit N: give either --last or"
          + " --limit/--order");
    }
    int max = positive(last != null ? last : limit != null ? limit : SpanQuery.DEFAULT_LIMIT,
        last != null ? "--last" : "--limit");
    SpanQuery.Order direction = last != null ? SpanQuery.Order.DESC : order;
    Long sinceNanos = since == null ? null : TimeArgs.parseUnixNano(since);
    if (count) {
      try (SpanSource src = source.open()) {
        System.out.println(src.count(new SpanQuery(rollout, attempt, kind, sinceNanos, 1, null)));
      }
      return 0;
    }
    Table table = new Table("SEQ", "SPAN", "START (UTC)", "STATUS", "MODEL", "BACKEND", "IN", "OUT", "COST $",
        "MS", "TTFT MS", "ROLLOUT/ATTEMPT");
    int printed = 0;
    String cursor = null;
    try (SpanSource src = source.open()) {
      do {
        SpanPage page = src.spans(new SpanQuery(rollout, attempt, kind, sinceNanos,
            Math.min(SpanQuery.MAX_LIMIT, max - printed), cursor, direction));
        for (Span s : page.spans()) {
          if (source.json) {
            System.out.println(new String(SpanJson.span(s), StandardCharsets.UTF_8));
          } else {
            table.row(s.sequenceId(), s.spanId(), Formats.time(s.startTimeUnixNano()), s.status(),
                s.frontendModel(), s.backendModel(), s.usage() == null ? null : s.usage().inputTokens(),
                s.usage() == null ? null : s.usage().outputTokens(), Formats.usd(s.costUsd()),
                Formats.millis(s.endTimeUnixNano() - s.startTimeUnixNano()),
                s.firstTokenTimeUnixNano() == null ? null
                    : Formats.millis(s.firstTokenTimeUnixNano() - s.startTimeUnixNano()),
                (s.rolloutId() == null ? "-" : s.rolloutId()) + "/" + (s.attemptId() == null ? "-" : s.attemptId()));
          }
          printed++;
        }
        cursor = page.nextCursor();
      } while (cursor != null && printed < max);
    }
    if (!source.json) {
      table.print(System.out);
      System.out.println(printed + " span(s)");
    }
    return 0;
  }

  private int positive(int n, String option) {
    if (n <= 0) {
      throw new ParameterException(spec.commandLine(), option + " must be a positive number, got " + n);
    }
    return n;
  }
}
