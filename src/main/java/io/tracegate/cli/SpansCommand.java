package io.tracegate.cli;

import io.tracegate.server.ApiJson;
import io.tracegate.server.TimeArgs;
import io.tracegate.store.SpanPage;
import io.tracegate.store.SpanQuery;
import io.tracegate.trace.Span;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code tracegate spans}: lists recorded spans, oldest first. */
@Command(name = "spans", mixinStandardHelpOptions = true, description = "List recorded spans.")
final class SpansCommand implements Callable<Integer> {
  @Mixin SourceOptions source;

  @Option(names = "--rollout", converter = IdConverter.class, description = "Only this rollout.")
  String rollout;

  @Option(names = "--attempt", converter = IdConverter.class, description = "Only this attempt.")
  String attempt;

  @Option(names = "--kind", description = "llm, reward or annotation.")
  String kind;

  @Option(names = "--since", description = "ISO-8601 instant, duration ago (15m, 2h) or Unix nanoseconds.")
  String since;

  @Option(names = "--limit", defaultValue = "100", description = "At most this many spans (default: ${DEFAULT-VALUE}).")
  int limit;

  @Option(names = "--count", description = "Print only how many spans match (limit ignored).")
  boolean count;

  @Override
  public Integer call() throws Exception {
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
            Math.min(SpanQuery.MAX_LIMIT, limit - printed), cursor));
        for (Span s : page.spans()) {
          if (source.json) {
            System.out.println(ApiJson.MAPPER.writeValueAsString(s));
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
      } while (cursor != null && printed < limit);
    }
    if (!source.json) {
      table.print(System.out);
      System.out.println(printed + " span(s)");
    }
    return 0;
  }
}
