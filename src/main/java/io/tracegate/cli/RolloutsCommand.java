package io.tracegate.cli;

import io.tracegate.server.ApiJson;
import io.tracegate.server.TimeArgs;
import io.tracegate.store.RolloutQuery;
import io.tracegate.store.RolloutSummary;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tracegate rollouts}: one line per rollout, most recently active first. */
@Command(name = "rollouts", mixinStandardHelpOptions = true, description = "List rollouts with their totals.")
final class RolloutsCommand implements Callable<Integer> {
  @Mixin SourceOptions source;

  @Parameters(arity = "0..1", converter = IdConverter.class, description = "Show only this rollout.")
  String rolloutId;

  @Option(names = "--since", description = "Active since: ISO-8601 instant, duration ago (15m, 2h) or Unix nanoseconds.")
  String since;

  @Option(names = "--limit", defaultValue = "100", description = "At most this many rollouts (default: ${DEFAULT-VALUE}).")
  int limit;

  @Override
  public Integer call() throws Exception {
    List<RolloutSummary> rollouts;
    try (SpanSource src = source.open()) {
      if (rolloutId != null) {
        var one = src.rollout(rolloutId);
        if (one.isEmpty()) {
          System.err.println("no rollout with id '" + Formats.visible(rolloutId) + "'");
          return 1;
        }
        rollouts = List.of(one.get());
      } else {
        rollouts = src.rollouts(new RolloutQuery(since == null ? null : TimeArgs.parseUnixNano(since), limit));
      }
    }
    if (source.json) {
      for (RolloutSummary r : rollouts) {
        System.out.println(ApiJson.MAPPER.writeValueAsString(r));
      }
      return 0;
    }
    Table table = new Table("ROLLOUT", "ATTEMPTS", "SPANS", "ERRORS", "IN", "OUT", "COST $", "FIRST (UTC)",
        "LAST (UTC)", "MAX SEQ");
    for (RolloutSummary r : rollouts) {
      table.row(r.rolloutId(), String.join(",", r.attempts()), r.spans(), r.errors(), r.inputTokens(),
          r.outputTokens(), Formats.usd(r.costUsd()), Formats.time(r.firstStartTimeUnixNano()),
          Formats.time(r.lastEndTimeUnixNano()), r.maxSequenceId());
    }
    table.print(System.out);
    System.out.println(rollouts.size() + " rollout(s)");
    return 0;
  }
}
