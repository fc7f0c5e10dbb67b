package io.tracegate.report;

import com.fasterxml.jackson.databind.JsonNode;
import io.tracegate.store.RolloutSummary;
import io.tracegate.store.SpanPage;
import io.tracegate.store.SpanQuery;
import io.tracegate.store.SpanStore;
import io.tracegate.trace.Span;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Computes a {@link Report} from a span store in one pass over the spans, oldest first, page by page (each page
 * bounded by count and bytes), so memory does not grow with the number of spans: it holds one {@link GroupTotals}
 * per group (fixed-size latency sketches), a few fields per rollout (its metadata when a tag is asked for, its
 * groups, its final reward) and, for cache breaks, the previous call's prompt only. BLOCKS on the store: run it on
 * a worker thread, never an event loop.
 */
public final class ReportEngine {
  /** Spans per page. */
  static final int PAGE = SpanQuery.MAX_LIMIT;
  /** The attribute holding a reward span's value (dataset.RewardSpans.VALUE). */
  static final String REWARD_VALUE = "tracegate.reward.value";

  private final SpanStore store;
  private final long pageBytes;

  /** @param pageBytes byte budget of each page read from the store */
  public ReportEngine(SpanStore store, long pageBytes) {
    this.store = store;
    this.pageBytes = pageBytes;
  }

  public Report run(ReportQuery q) {
    Map<String, GroupTotals> groups = new TreeMap<>();
    GroupTotals total = new GroupTotals("total");
    Map<String, RolloutState> rollouts = new HashMap<>();
    CacheBreakFinder breaks = q.cacheBreaks() ? new CacheBreakFinder() : null;
    boolean needsMetadata = q.groupBy().kind() == GroupBy.Kind.TAG || !q.tags().isEmpty();
    String cursor = null;
    pages:
    do {
      SpanPage page = store.query(new SpanQuery(q.rolloutId(), null, null, q.sinceUnixNano(), PAGE, cursor,
          SpanQuery.Order.ASC, pageBytes));
      for (Span s : page.spans()) {
        if (q.untilUnixNano() != null && s.startTimeUnixNano() >= q.untilUnixNano()) {
          break pages;
        }
        RolloutState rollout = s.rolloutId() == null ? null
            : rollouts.computeIfAbsent(s.rolloutId(), id -> new RolloutState(needsMetadata ? metadata(id) : null));
        if (Span.KIND_REWARD.equals(s.kind())) {
          if (rollout != null) {
            rollout.reward(s);
          }
          continue;
        }
        if (!Span.KIND_LLM.equals(s.kind()) || !matches(q, s, rollout)) {
          continue;
        }
        String key = q.groupBy().keyOf(s, rollout == null ? null : rollout.metadata);
        groups.computeIfAbsent(key, GroupTotals::new).add(s);
        total.add(s);
        if (rollout != null) {
          rollout.groups.add(key);
        }
        if (breaks != null) {
          breaks.add(s);
        }
      }
      cursor = page.nextCursor();
    } while (cursor != null);

    if (q.sinceUnixNano() != null || q.untilUnixNano() != null) {
      rewardsOutsideTheWindow(q, rollouts);
    }
    for (RolloutState r : rollouts.values()) {
      if (r.groups.isEmpty()) {
        continue; // no call of it passed the filters
      }
      for (String key : r.groups) {
        groups.get(key).addRollout(r.reward);
      }
      total.addRollout(r.reward);
    }
    List<ReportRow> rows = new ArrayList<>();
    groups.values().forEach(g -> rows.add(g.row()));
    Comparison comparison = null;
    if (q.compare()) {
      rows.removeIf(r -> r.group().equals(GroupBy.NONE)); // calls of rollouts without the tag are not a column
      if (q.baseline() != null) {
        rows.sort((a, b) -> Boolean.compare(!a.group().equals(q.baseline()), !b.group().equals(q.baseline())));
        if (rows.isEmpty() || !rows.get(0).group().equals(q.baseline())) {
          throw new IllegalArgumentException("no calls with " + q.groupBy().tagKey() + "=" + q.baseline()
              + " to compare against");
        }
      }
      comparison = Comparison.of(q.groupBy().id(), rows);
    }
    ReportRow totalRow = total.row();
    return new Report(q.groupBy().id(), rows, totalRow, totalRow.unpricedCalls(), comparison,
        breaks == null ? null : breaks.breaks());
  }

  /**
   * A rollout's reward counts for its calls in the window wherever the reward falls in time (before --since,
   * after --until): one more pass, over reward spans only, that keeps each reported rollout's final reward.
   */
  private void rewardsOutsideTheWindow(ReportQuery q, Map<String, RolloutState> rollouts) {
    String cursor = null;
    do {
      SpanPage page = store.query(new SpanQuery(q.rolloutId(), null, Span.KIND_REWARD, null, PAGE, cursor,
          SpanQuery.Order.ASC, pageBytes));
      for (Span s : page.spans()) {
        RolloutState rollout = s.rolloutId() == null ? null : rollouts.get(s.rolloutId());
        if (rollout != null && !rollout.groups.isEmpty() && Span.KIND_REWARD.equals(s.kind())) {
          rollout.reward(s); // keeps the last by sequence id: seeing a reward twice changes nothing
        }
      }
      cursor = page.nextCursor();
    } while (cursor != null);
  }

  private JsonNode metadata(String rolloutId) {
    return store.rollout(rolloutId).map(RolloutSummary::metadata).orElse(null);
  }

  private static boolean matches(ReportQuery q, Span s, RolloutState rollout) {
    if (q.model() != null && !q.model().equals(s.frontendModel()) && !q.model().equals(s.backendModel())) {
      return false;
    }
    for (Map.Entry<String, String> tag : q.tags().entrySet()) {
      if (rollout == null || !tag.getValue().equals(GroupBy.tagValue(rollout.metadata, tag.getKey()))) {
        return false;
      }
    }
    return true;
  }

  /**
   * A reward span's value: the {@value #REWARD_VALUE} attribute as dataset.RewardSpans writes it (a number, or a
   * numeric string after a store round trip), null when missing or not finite. Read here rather than through
   * dataset/, which report/ does not depend on (DESIGN.md).
   */
  static Double rewardValue(Span s) {
    Object raw = s.attributes().get(REWARD_VALUE);
    double v;
    if (raw instanceof Number n) {
      v = n.doubleValue();
    } else if (raw instanceof String text) {
      try {
        v = Double.parseDouble(text.trim());
      } catch (NumberFormatException e) {
        return null;
      }
    } else {
      return null;
    }
    return Double.isFinite(v) ? v : null;
  }

  /** What the report keeps of one rollout while streaming. */
  private static final class RolloutState {
    final JsonNode metadata;
    final Set<String> groups = new LinkedHashSet<>(2);
    Double reward;
    long rewardSequence = Long.MIN_VALUE;
    long rewardStart = Long.MIN_VALUE;

    RolloutState(JsonNode metadata) {
      this.metadata = metadata;
    }

    /** Keeps the last reward in sequence order (then start time): the rollout's final reward. */
    void reward(Span s) {
      Double value = rewardValue(s);
      if (value == null) {
        return;
      }
      long seq = s.sequenceId() == null ? Long.MIN_VALUE : s.sequenceId();
      if (seq > rewardSequence || (seq == rewardSequence && s.startTimeUnixNano() >= rewardStart)) {
        reward = value;
        rewardSequence = seq;
        rewardStart = s.startTimeUnixNano();
      }
    }
  }
}
