package io.tracegate.store;

import com.fasterxml.jackson.databind.JsonNode;
import io.tracegate.trace.Span;
import io.tracegate.trace.Usage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The rollouts list computed from {@link SpanStore#rollouts} and {@link SpanStore#query}: the default of
 * {@link SpanStore#rolloutTable} for stores without a cheaper way (the in-memory store). It reads every span of
 * every rollout, so a store that holds many spans overrides it with one aggregate query (SQLite does).
 */
public final class RolloutTables {
  private static final String REWARD_VALUE = "tracegate.reward.value";

  private RolloutTables() {}

  /** BLOCKS on the store. */
  public static RolloutTablePage compute(SpanStore store, RolloutTableQuery query) {
    List<RolloutRow> kept = new ArrayList<>();
    for (RolloutSummary summary : store.rollouts(new RolloutQuery(null, Integer.MAX_VALUE))) {
      RolloutRow row = row(store, summary);
      if (keeps(query, row)) {
        kept.add(row);
      }
    }
    kept.sort((a, b) -> a.lastActivityUnixNano() != b.lastActivityUnixNano()
        ? Long.compare(b.lastActivityUnixNano(), a.lastActivityUnixNano()) : a.rolloutId().compareTo(b.rolloutId()));
    int from = Math.min(query.offset(), kept.size());
    int to = Math.min(kept.size(), from + query.limit());
    return RolloutTablePage.of(kept.subList(from, to), kept.size(), query);
  }

  private static boolean keeps(RolloutTableQuery q, RolloutRow row) {
    if (q.idContains() != null && !row.rolloutId().contains(q.idContains())) {
      return false;
    }
    if (q.model() != null && !row.models().contains(q.model())) {
      return false;
    }
    if (q.status() != null && !q.status().equals(row.status())) {
      return false;
    }
    if (q.tagKey() != null) {
      JsonNode v = row.metadata() == null ? null : row.metadata().get(q.tagKey());
      if (v == null || !v.isTextual() || !v.asText().equals(q.tagValue())) {
        return false;
      }
    }
    if (q.sinceUnixNano() != null && row.lastActivityUnixNano() < q.sinceUnixNano()) {
      return false;
    }
    return q.untilUnixNano() == null || row.lastActivityUnixNano() < q.untilUnixNano();
  }

  private static RolloutRow row(SpanStore store, RolloutSummary s) {
    long calls = 0;
    long rewards = 0;
    long cacheRead = 0;
    long activity = s.createdUnixNano();
    long lastRewardSeq = Long.MIN_VALUE;
    Double reward = null;
    TreeSet<String> models = new TreeSet<>();
    String cursor = null;
    do {
      SpanPage page = store.query(new SpanQuery(s.rolloutId(), null, null, null, SpanQuery.MAX_LIMIT, cursor,
          SpanQuery.Order.ASC, SpanQuery.UNBOUNDED));
      for (Span span : page.spans()) {
        activity = Math.max(activity, Math.max(span.startTimeUnixNano(), span.endTimeUnixNano()));
        if (Span.KIND_LLM.equals(span.kind())) {
          calls++;
          Usage u = span.usage();
          cacheRead += u == null || u.cacheReadInputTokens() == null ? 0 : u.cacheReadInputTokens();
          if (span.frontendModel() != null) {
            models.add(span.frontendModel());
          }
        } else if (Span.KIND_REWARD.equals(span.kind())) {
          rewards++;
          long seq = span.sequenceId() == null ? Long.MAX_VALUE : span.sequenceId();
          Object v = attributes(span).get(REWARD_VALUE);
          if (seq >= lastRewardSeq && v instanceof Number n) {
            lastRewardSeq = seq;
            reward = n.doubleValue();
          }
        }
      }
      cursor = page.nextCursor();
    } while (cursor != null);
    double durationMs = s.spans() == 0 ? 0 : (s.lastEndTimeUnixNano() - s.firstStartTimeUnixNano()) / 1e6;
    return new RolloutRow(s.rolloutId(), s.attempts().size(), calls, rewards, s.errors(),
        s.errors() > 0 ? "error" : "ok", s.inputTokens(), s.outputTokens(), cacheRead,
        RolloutRow.hitRate(cacheRead, s.inputTokens()), s.costUsd(), reward, durationMs,
        s.firstStartTimeUnixNano(), activity, new ArrayList<>(models), s.metadata());
  }

  private static Map<String, Object> attributes(Span span) {
    return span.attributes() == null ? Map.of() : span.attributes();
  }
}
