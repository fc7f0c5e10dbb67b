package io.tracegate.report;

import io.tracegate.trace.Span;
import io.tracegate.trace.Usage;

/** Running totals of one group while a report streams over spans. Not thread-safe (one report, one thread). */
final class GroupTotals {
  private final String group;
  private long calls;
  private long errors;
  private long retries;
  private long input;
  private long cacheRead;
  private long write5m;
  private long write1h;
  private long output;
  private long reasoning;
  private double cost;
  private long priced;
  private long unpriced;
  private long rollouts;
  private long rewarded;
  private long positive;
  private double rewardSum;
  private long firstStart = Long.MAX_VALUE;
  private long lastEnd = Long.MIN_VALUE;
  private final LatencySample latency = new LatencySample();
  private final LatencySample ttft = new LatencySample();

  GroupTotals(String group) {
    this.group = group;
  }

  /** Adds one LLM call. */
  void add(Span call) {
    calls++;
    if (!Span.STATUS_OK.equals(call.status())) {
      errors++;
    }
    if (call.attempts() != null && call.attempts().size() > 1) {
      retries += call.attempts().size() - 1;
    }
    Usage u = call.usage() == null ? Usage.EMPTY : call.usage();
    long read = orZero(u.cacheReadInputTokens());
    long written = orZero(u.cacheCreationInputTokens());
    long oneHour = orZero(u.cacheCreation1hInputTokens());
    // a write whose 5m/1h split is not reported is a 5-minute write (Anthropic's default TTL), as CostCalculator
    long fiveMinutes = u.cacheCreation5mInputTokens() != null ? u.cacheCreation5mInputTokens()
        : Math.max(0, written - oneHour);
    input += u.uncachedInputTokens();
    cacheRead += read;
    write5m += fiveMinutes;
    write1h += oneHour;
    output += orZero(u.outputTokens());
    reasoning += orZero(u.reasoningTokens());
    if (call.costUsd() != null) {
      cost += call.costUsd();
      priced++;
    } else if (u.totalTokens() != null && u.totalTokens() > 0) {
      unpriced++; // tokens were used but have no price; a call that used none (refused, failed) costs nothing
    }
    firstStart = Math.min(firstStart, call.startTimeUnixNano());
    lastEnd = Math.max(lastEnd, call.endTimeUnixNano());
    latency.add(call.endTimeUnixNano() - call.startTimeUnixNano());
    if (call.firstTokenTimeUnixNano() != null) {
      ttft.add(call.firstTokenTimeUnixNano() - call.startTimeUnixNano());
    }
  }

  /** Counts one rollout that has calls in this group, with its final reward (null when it has none). */
  void addRollout(Double reward) {
    rollouts++;
    if (reward != null) {
      rewarded++;
      rewardSum += reward;
      if (reward > 0) {
        positive++;
      }
    }
  }

  ReportRow row() {
    long prompt = input + cacheRead + write5m + write1h;
    Double costUsd = priced == 0 ? null : cost;
    return new ReportRow(group, calls, errors, retries, rollouts, input, cacheRead, write5m, write1h, output,
        reasoning, prompt == 0 ? null : (double) cacheRead / prompt, costUsd, unpriced,
        costUsd == null || rollouts == 0 ? null : costUsd / rollouts, rewarded, positive,
        costUsd == null || positive == 0 ? null : costUsd / positive,
        rewarded == 0 ? null : rewardSum / rewarded,
        latency.percentileMillis(50), latency.percentileMillis(95), ttft.percentileMillis(50),
        calls == 0 ? null : (lastEnd - firstStart) / 1e6,
        calls == 0 ? null : firstStart, calls == 0 ? null : lastEnd);
  }

  private static long orZero(Long v) {
    return v == null ? 0 : v;
  }
}
