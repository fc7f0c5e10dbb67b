package io.tracegate.dataset;

import com.fasterxml.jackson.databind.JsonNode;
import io.tracegate.store.SpanPage;
import io.tracegate.store.SpanQuery;
import io.tracegate.store.SpanStore;
import io.tracegate.trace.Span;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Streams triplets from a {@link SpanStore} into a {@link DatasetWriter}, one rollout at a time: rollout ids
 * are walked in keyset pages ({@link SpanStore#rolloutIds}), each rollout's spans are read in cursor pages, split
 * by attempt (attempts in creation order, {@link SpanStore#attempts}), adapted and written, then dropped.
 * Memory is bounded by the largest single rollout, whatever the store's size (plus one entry per group).
 * {@code --max-staleness} and group statistics need the whole export in view before the first row is written:
 * each adds one read-only pass over the same rollouts before the writing pass. BLOCKS on the store and the
 * writer: run it on a worker thread, never an event loop.
 */
public final class DatasetExporter {

  /** Rollout ids fetched per page. */
  static final int ROLLOUT_PAGE = 500;
  /** The rollout metadata key that names a rollout's group. */
  public static final String GROUP_ID_KEY = "group_id";

  private final SpanStore store;
  private final TripletAdapter adapter;
  private final boolean groupStats;

  public DatasetExporter(SpanStore store, AdapterOptions options) {
    this(store, options, false);
  }

  /** @param groupStats compute each group's reward statistics first, and give them to every row */
  public DatasetExporter(SpanStore store, AdapterOptions options, boolean groupStats) {
    this.store = Objects.requireNonNull(store, "store");
    this.adapter = new TripletAdapter(options);
    this.groupStats = groupStats;
  }

  /** {@link #export(ExportFilter, DatasetWriter, ExportProgress, DriftSink)} without a drift report. */
  public ExportSummary export(ExportFilter filter, DatasetWriter writer, ExportProgress progress)
      throws IOException {
    return export(filter, writer, progress, DriftSink.NONE);
  }

  /**
   * Exports every triplet the filter selects, in rollout id order, then attempt (creation) order, then turn
   * order. "Latest attempt" is the attempt created last, which yields nothing while it has no calls.
   * Does not close the writer.
   *
   * @param drift receives each drift case of the exported attempts, in export order
   * @throws IOException from the writer or the drift sink
   * @throws IllegalArgumentException when Agent Lightning 1.0 semantics are asked for another attempt than the latest
   */
  public ExportSummary export(ExportFilter filter, DatasetWriter writer, ExportProgress progress, DriftSink drift)
      throws IOException {
    Objects.requireNonNull(filter, "filter");
    Objects.requireNonNull(writer, "writer");
    if (adapter.options().semantics() == Semantics.AGL_V1 && !ExportFilter.LATEST.equals(filter.attempt())) {
      throw new IllegalArgumentException("semantics agl-v1 exports each rollout's latest attempt only (as Agent"
          + " Lightning 1.0): leave the attempt at latest");
    }
    Long newest = filter.maxStaleness() != null ? newestVersion(filter) : null;
    Map<String, GroupStats> stats = groupStats ? groupStats(filter, newest) : Map.of();
    Map<String, Long> skipped = new HashMap<>();
    RowNumbering numbering = new RowNumbering();
    long[] counts = new long[3]; // written, continuing, drifted
    long rollouts = forEachRollout(filter, progress == null ? ExportProgress.NONE : progress, rolloutId -> {
      for (AttemptRows attempt : adaptRollout(rolloutId, filter, newest)) {
        attempt.result().skipped().forEach((reason, n) -> skipped.merge(reason, n, Long::sum));
        attempt.filtered().forEach((reason, n) -> skipped.merge(reason, n, Long::sum));
        counts[1] += attempt.result().continuing();
        counts[2] += attempt.result().drift().size();
        for (DriftCase c : attempt.result().drift()) {
          drift.accept(c);
        }
        List<Triplet> rows = attempt.kept();
        for (int i = 0; i < rows.size(); i++) {
          Triplet t = rows.get(i);
          writer.write(numbering.next(t, i == rows.size() - 1, t.groupId() == null ? null : stats.get(t.groupId())));
          counts[0]++;
        }
      }
    });
    return new ExportSummary(counts[0], skipped, rollouts, counts[1], counts[2]);
  }

  /** The highest version number among the selected attempts' triplets (before any filter), or null. */
  private Long newestVersion(ExportFilter filter) throws IOException {
    Long[] newest = {null};
    forEachRollout(filter, ExportProgress.NONE, rolloutId -> {
      for (AttemptRows attempt : adaptRollout(rolloutId, filter, null)) {
        for (Triplet t : attempt.result().triplets()) {
          Long n = PolicyVersions.number(t.modelVersion());
          if (n != null && (newest[0] == null || n > newest[0])) {
            newest[0] = n;
          }
        }
      }
    });
    return newest[0];
  }

  /** Count, sum and sum of squares of the rewards of the rows the export will write, per group. */
  private Map<String, GroupStats> groupStats(ExportFilter filter, Long newest) throws IOException {
    Map<String, double[]> sums = new HashMap<>();
    forEachRollout(filter, ExportProgress.NONE, rolloutId -> {
      for (AttemptRows attempt : adaptRollout(rolloutId, filter, newest)) {
        for (Triplet t : attempt.kept()) {
          if (t.groupId() != null && t.reward() != null) {
            double[] s = sums.computeIfAbsent(t.groupId(), g -> new double[3]);
            s[0]++;
            s[1] += t.reward();
            s[2] += t.reward() * t.reward();
          }
        }
      }
    });
    Map<String, GroupStats> stats = new HashMap<>();
    sums.forEach((group, s) -> stats.put(group, GroupStats.of((long) s[0], s[1], s[2])));
    return stats;
  }

  private interface RolloutVisitor {
    void visit(String rolloutId) throws IOException;
  }

  /** Visits the filter's rollouts in id order; returns how many. */
  private long forEachRollout(ExportFilter filter, ExportProgress report, RolloutVisitor visitor) throws IOException {
    if (filter.rolloutId() != null) {
      report.onProgress(0, 1);
      visitor.visit(filter.rolloutId());
      report.onProgress(1, 1);
      return 1;
    }
    long total = countRollouts(filter.sinceUnixNano());
    report.onProgress(0, total);
    long done = 0;
    String after = null;
    while (true) {
      List<String> page = store.rolloutIds(filter.sinceUnixNano(), after, ROLLOUT_PAGE);
      for (String rolloutId : page) {
        visitor.visit(rolloutId);
        done++;
        total = Math.max(total, done);
        report.onProgress(done, total);
      }
      if (page.size() < ROLLOUT_PAGE) {
        return done;
      }
      after = page.get(page.size() - 1);
    }
  }

  private long countRollouts(Long since) {
    long count = 0;
    String after = null;
    while (true) {
      List<String> page = store.rolloutIds(since, after, ROLLOUT_PAGE);
      count += page.size();
      if (page.size() < ROLLOUT_PAGE) {
        return count;
      }
      after = page.get(page.size() - 1);
    }
  }

  /** One attempt's adapter result, the rows the filter keeps (with the rollout's group) and why it left others. */
  private record AttemptRows(AdapterResult result, List<Triplet> kept, Map<String, Long> filtered) {}

  private List<AttemptRows> adaptRollout(String rolloutId, ExportFilter filter, Long newest) {
    List<Span> spans = readRollout(rolloutId);
    // read after the spans, so it lists every attempt they carry (and any created since)
    Map<String, List<Span>> attempts = AttemptSplitter.split(spans, store.attempts(rolloutId));
    List<String> selected = new ArrayList<>();
    String wanted = ExportFilter.LATEST.equals(filter.attempt()) ? AttemptSplitter.latest(attempts)
        : filter.attempt();
    if (ExportFilter.ALL.equals(filter.attempt())) {
      selected.addAll(attempts.keySet());
    } else if (attempts.containsKey(wanted)) {
      selected.add(wanted);
    }
    if (selected.isEmpty()) {
      return List.of();
    }
    Map<String, Span> byId = new HashMap<>();
    for (Span s : spans) {
      byId.put(s.spanId(), s);
    }
    String group = groupId(rolloutId);
    List<AttemptRows> out = new ArrayList<>();
    for (String attempt : selected) {
      AdapterResult result = adapter.adapt(attempts.get(attempt));
      Map<String, Long> filtered = new HashMap<>();
      List<Triplet> kept = new ArrayList<>();
      for (Triplet t : result.triplets()) {
        String reason = filteredOut(t, byId.get(t.spanId()), filter, newest);
        if (reason != null) {
          RewardAssigner.count(filtered, reason);
        } else {
          kept.add(group == null ? t : t.withGroupId(group));
        }
      }
      out.add(new AttemptRows(result, kept, filtered));
    }
    return out;
  }

  /** The rollout metadata's {@code group_id} (registered, or from {@code x-tracegate-group}), or null. */
  private String groupId(String rolloutId) {
    JsonNode metadata = store.rollout(rolloutId).map(r -> r.metadata()).orElse(null);
    JsonNode group = metadata == null ? null : metadata.get(GROUP_ID_KEY);
    return group == null || group.isNull() || group.isContainerNode() || group.asText().isEmpty() ? null
        : group.asText();
  }

  /** All spans of one rollout, read page by page. */
  private List<Span> readRollout(String rolloutId) {
    List<Span> spans = new ArrayList<>();
    String cursor = null;
    do {
      SpanPage page = store.query(new SpanQuery(rolloutId, null, null, null, SpanQuery.MAX_LIMIT, cursor));
      spans.addAll(page.spans());
      cursor = page.nextCursor();
    } while (cursor != null);
    return spans;
  }

  private static String filteredOut(Triplet t, Span call, ExportFilter filter, Long newest) {
    if (filter.sinceUnixNano() != null && call != null && call.startTimeUnixNano() < filter.sinceUnixNano()) {
      return "filtered_since";
    }
    if (filter.model() != null && (call == null
        || !(filter.model().equals(call.frontendModel()) || filter.model().equals(call.backendModel())))) {
      return "filtered_model";
    }
    if (filter.minReward() != null && (t.reward() == null || t.reward() < filter.minReward())) {
      return "filtered_min_reward";
    }
    if (filter.modelVersion() != null && !filter.modelVersion().equals(t.modelVersion())) {
      return "filtered_model_version";
    }
    Long version = PolicyVersions.number(t.modelVersion());
    if (filter.minVersion() != null && (version == null || version < PolicyVersions.number(filter.minVersion()))) {
      return "filtered_min_version";
    }
    if (filter.maxStaleness() != null
        && (version == null || newest == null || newest - version > filter.maxStaleness())) {
      return "filtered_staleness";
    }
    return null;
  }
}
