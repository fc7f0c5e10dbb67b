package io.tracegate.dataset;

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
 * Memory is bounded by the largest single rollout, whatever the store's size. BLOCKS on the store and the writer: run it on a worker thread, never an event loop.
 */
public final class DatasetExporter {

  /** Rollout ids fetched per page. */
  static final int ROLLOUT_PAGE = 500;

  private final SpanStore store;
  private final TripletAdapter adapter;

  public DatasetExporter(SpanStore store, AdapterOptions options) {
    this.store = Objects.requireNonNull(store, "store");
    this.adapter = new TripletAdapter(options);
  }

  /**
   * Exports every triplet the filter selects, in rollout id order, then attempt (creation) order, then turn
   * order. "Latest attempt" is the attempt created last, which yields nothing while it has no calls.
   * Does not close the writer.
   *
   * @throws IOException from the writer
   */
  public ExportSummary export(ExportFilter filter, DatasetWriter writer, ExportProgress progress)
      throws IOException {
    Objects.requireNonNull(filter, "filter");
    Objects.requireNonNull(writer, "writer");
    ExportProgress report = progress == null ? ExportProgress.NONE : progress;
    Map<String, Long> skipped = new HashMap<>();
    long written = 0;
    long done = 0;
    if (filter.rolloutId() != null) {
      report.onProgress(0, 1);
      written += exportRollout(filter.rolloutId(), filter, writer, skipped);
      report.onProgress(1, 1);
      return new ExportSummary(written, skipped, 1);
    }
    long total = countRollouts(filter.sinceUnixNano());
    report.onProgress(0, total);
    String after = null;
    while (true) {
      List<String> page = store.rolloutIds(filter.sinceUnixNano(), after, ROLLOUT_PAGE);
      for (String rolloutId : page) {
        written += exportRollout(rolloutId, filter, writer, skipped);
        done++;
        total = Math.max(total, done);
        report.onProgress(done, total);
      }
      if (page.size() < ROLLOUT_PAGE) {
        break;
      }
      after = page.get(page.size() - 1);
    }
    return new ExportSummary(written, skipped, done);
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

  private long exportRollout(String rolloutId, ExportFilter filter, DatasetWriter writer,
      Map<String, Long> skipped) throws IOException {
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
    Map<String, Span> byId = new HashMap<>();
    for (Span s : spans) {
      byId.put(s.spanId(), s);
    }
    long written = 0;
    for (String attempt : selected) {
      AdapterResult result = adapter.adapt(attempts.get(attempt));
      result.skipped().forEach((reason, n) -> skipped.merge(reason, n, Long::sum));
      for (Triplet t : result.triplets()) {
        String reason = filteredOut(t, byId.get(t.spanId()), filter);
        if (reason != null) {
          RewardAssigner.count(skipped, reason);
        } else {
          writer.write(t);
          written++;
        }
      }
    }
    return written;
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

  private static String filteredOut(Triplet t, Span call, ExportFilter filter) {
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
    return null;
  }
}
