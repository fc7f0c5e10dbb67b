package io.tracegate.store;

import io.tracegate.trace.Span;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Copies one span store into another ({@code tracegate store copy}: SQLite into PostgreSQL and back): the rollout
 * registry first (metadata, creation times, registered attempts), then every span in (start time, span id)
 * order, a page at a time, so memory stays bounded. Spans keep their ids, sequence ids, token ids and rewards;
 * the target stores prompts with its own prefix compaction, which reads back the same ids. What the target already
 * has is left alone, so running it again copies nothing. Sequence ids continue in the target after the copied ones
 * (PostgreSQL raises its shared counters as spans arrive; the gateway on a SQLite file reads the highest stored).
 * Virtual keys ({@link SpanStore#keys()}) come along when both stores keep them: a key the target lacks (by id) is
 * created as it is (its secret's hash, limits, times), a key revoked in the source is revoked in the target; their
 * spend needs no copying, it is summed from the copied spans.
 */
public final class StoreCopy {

  /** Spans read and written per step. */
  static final int PAGE = 256;
  private static final int ROLLOUT_PAGE = 500;

  /** Told after each page of spans. */
  @FunctionalInterface
  public interface Progress {
    Progress NONE = (done, total) -> { };

    void onProgress(long spansDone, long spansTotal);
  }

  /** What a copy did. */
  public record Result(long rollouts, long keys, long spansCopied, long spansPresent) {}

  private final SpanStore from;
  private final SpanStore to;

  public StoreCopy(SpanStore from, SpanStore to) {
    this.from = from;
    this.to = to;
  }

  public Result run(Progress progress) {
    long rollouts = copyRegistry();
    long keys = copyKeys();
    long total = from.count(new SpanQuery(null, null, null, null, 1, null));
    long copied = 0;
    long present = 0;
    progress.onProgress(0, total);
    String cursor = null;
    do {
      SpanPage page = from.query(new SpanQuery(null, null, null, null, PAGE, cursor));
      List<Span> spans = page.spans();
      Set<String> stored = to.storedSpanIds(spans.stream().map(Span::spanId).toList());
      List<Span> missing = new ArrayList<>(spans.size());
      for (Span s : spans) {
        if (!stored.contains(s.spanId())) {
          missing.add(s);
        }
      }
      to.append(missing);
      copied += missing.size();
      present += spans.size() - missing.size();
      progress.onProgress(copied + present, Math.max(total, copied + present));
      cursor = page.nextCursor();
    } while (cursor != null);
    return new Result(rollouts, keys, copied, present);
  }

  /** Creates the source's keys the target lacks and revokes there what the source revoked; returns keys changed. */
  private long copyKeys() {
    KeyStore source = from.keys();
    KeyStore target = to.keys();
    if (source == null || target == null) {
      return 0;
    }
    Map<String, StoredKey> present = new java.util.HashMap<>();
    for (StoredKey k : target.keys()) {
      present.put(k.id(), k);
    }
    long changed = 0;
    for (StoredKey k : source.keys()) {
      StoredKey there = present.get(k.id());
      if (there == null) {
        target.create(k);
        changed++;
      } else if (k.revoked() && !there.revoked() && target.revoke(k.id(), k.revokedUnixNano())) {
        changed++;
      }
    }
    return changed;
  }

  /** Registers every rollout of the source in the target (a no-op where it exists) with its attempts. */
  private long copyRegistry() {
    long count = 0;
    String after = null;
    while (true) {
      List<String> ids = from.rolloutIds(null, after, ROLLOUT_PAGE);
      for (String id : ids) {
        Optional<RolloutSummary> summary = from.rollout(id);
        if (summary.isPresent()) {
          to.createRollout(id, summary.get().metadata(), summary.get().createdUnixNano());
          for (Map.Entry<String, Long> attempt : from.registeredAttempts(id).entrySet()) {
            to.addAttempt(id, attempt.getKey(), attempt.getValue());
          }
          count++;
        }
      }
      if (ids.size() < ROLLOUT_PAGE) {
        return count;
      }
      after = ids.get(ids.size() - 1);
    }
  }
}
