package io.tracegate.store;

import com.fasterxml.jackson.databind.JsonNode;
import io.tracegate.trace.Span;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Durable home of spans. Every method BLOCKS (JDBC, files): call it from a worker or writer thread,
 * never from an event loop. Implementations are thread-safe.
 */
public interface SpanStore extends AutoCloseable {

  /** Persists a batch atomically (all or nothing). Spans with an existing span_id are replaced. */
  void append(List<Span> spans);

  /**
   * {@link #append(List)} for a background writer that shares CPUs with event loops: the store runs
   * {@code betweenSpans} on the calling thread after writing each span, inside the transaction, where the
   * caller may give up the CPU (see {@link WriterPacing}). Stores whose append is not span-by-span work
   * may ignore it; the default does.
   */
  default void append(List<Span> spans, Runnable betweenSpans) {
    append(spans);
  }

  Optional<Span> find(String spanId);

  /**
   * Spans matching the query, ordered by (start_time_unix_nano, span_id) ascending or, with
   * {@link SpanQuery.Order#DESC}, descending; one page at a time. A page ends after {@code limit} spans or,
   * earlier, after the span that brings the page's {@link SpanSize approximate size} to {@code maxBytes} or
   * more (so it has at least one span, and at most {@code maxBytes} plus one span's size); either way
   * {@link SpanPage#nextCursor()} is set when more spans match. Implementations stop reading once a page is
   * full: the memory a query takes is bounded by the budget, not by the size of the spans it could match.
   *
   * @throws IllegalArgumentException when the query's cursor is malformed or was made for the other order
   */
  SpanPage query(SpanQuery query);

  /**
   * Registers a rollout before any traffic (POST /api/rollouts), so it is listed with 0 spans and its
   * metadata. A JSON null metadata is stored as none.
   *
   * @return false, changing nothing, when the rollout already exists: registered, or seen in any span
   */
  boolean createRollout(String rolloutId, JsonNode metadata, long createdUnixNano);

  /**
   * Merges tags into a rollout's metadata (the {@code x-tracegate-tags} request header): each key the metadata
   * does not have yet is added with its value; keys it has keep theirs (first sight wins). A rollout that is not
   * registered is registered with the tags as its metadata, at {@code nowUnixNano}.
   *
   * @return true when the metadata changed
   */
  boolean mergeRolloutTags(String rolloutId, Map<String, String> tags, long nowUnixNano);

  /**
   * Registers an attempt of a rollout; idempotent (a second call keeps the first time). A rollout that is
   * neither registered nor seen in spans is registered too, without metadata, at the same time.
   */
  void addAttempt(String rolloutId, String attemptId, long createdUnixNano);

  /**
   * Attempt ids of the rollout, registered or seen in spans, in the order they were created: each attempt at the
   * earlier of its registration time ({@link #addAttempt}) and its first span's start, ties by id. A later span
   * of an earlier attempt does not move it. The last id is the rollout's LATEST attempt, even while it has no
   * spans: rewards posted without an attempt go to it, and dataset export's default exports it (nothing while
   * it has no calls). Empty for an unknown rollout.
   */
  List<String> attempts(String rolloutId);

  /**
   * One summary per rollout (registered, or seen in spans), most recently active first. A rollout's activity
   * is the latest start or end of any of its spans, or its registration time when that is later (a
   * registered rollout without spans is active at its creation).
   */
  List<RolloutSummary> rollouts(RolloutQuery query);

  Optional<RolloutSummary> rollout(String rolloutId);

  /**
   * One page of the rollouts list (the trace UI's Rollouts view, {@code GET /api/rollout-table}): the rollouts
   * the filters keep, most recently active first (ties by id), with the list's columns. The default reads every
   * span through {@link #rollouts} and {@link #query} ({@link RolloutTables}); stores with many spans override
   * it with an aggregate query.
   */
  default RolloutTablePage rolloutTable(RolloutTableQuery query) {
    return RolloutTables.compute(this, query);
  }

  /** How many spans match the query's filters (its limit and cursor are ignored). */
  long count(SpanQuery query);

  /**
   * Ids of the rollouts last active (as in {@link #rollouts}: registered rollouts included) at or after
   * {@code sinceUnixNano} (every rollout when null), in ascending id order, strictly after
   * {@code afterRolloutId} (from the first when null), at most {@code limit}. Keyset paging: pass a page's last
   * id to get the next page, so a caller can walk every rollout with bounded memory while spans keep arriving
   * (dataset export does). The default goes through {@link #rollouts}; stores override it with a cheap query.
   */
  default List<String> rolloutIds(Long sinceUnixNano, String afterRolloutId, int limit) {
    return rollouts(new RolloutQuery(sinceUnixNano, Integer.MAX_VALUE)).stream()
        .map(RolloutSummary::rolloutId)
        .filter(id -> afterRolloutId == null || id.compareTo(afterRolloutId) > 0)
        .sorted()
        .limit(Math.max(0, limit))
        .toList();
  }

  /**
   * The store's own sequence counter when it is shared between processes (PostgreSQL: every gateway on the
   * database draws from it); empty when the gateway allocates ids in memory from {@link #maxSequenceId} (one
   * process per store: memory, SQLite).
   */
  default Optional<SequenceCounter> sharedSequences() {
    return Optional.empty();
  }

  /**
   * The attempts registered with {@link #addAttempt} for the rollout (not those only seen in spans), each with
   * its registration time; for copying a store. The default says none.
   */
  default Map<String, Long> registeredAttempts(String rolloutId) {
    return Map.of();
  }

  /**
   * Which of {@code spanIds} are stored (for copying a store without writing a span twice). The default asks
   * {@link #find} for each; SQL stores answer with one query.
   */
  default Set<String> storedSpanIds(Collection<String> spanIds) {
    Set<String> stored = new HashSet<>();
    for (String id : spanIds) {
      if (find(id).isPresent()) {
        stored.add(id);
      }
    }
    return stored;
  }

  /** Highest sequence id stored for the rollout, 0 when it has none. */
  long maxSequenceId(String rolloutId);

  /** The virtual keys kept with these spans, or null when this store keeps none. */
  default KeyStore keys() {
    return null;
  }

  /**
   * Drops the spans that started before {@code cutoffUnixNano} ({@code store.retention}), keeping the prompts of
   * later spans whole; rollouts stay registered. PostgreSQL drops whole days (a day partition goes once all of it
   * is before the cutoff), SQLite deletes in small batches. Stores that keep nothing on disk do not support it.
   *
   * @return spans dropped
   */
  default long dropSpansBefore(long cutoffUnixNano) {
    throw new UnsupportedOperationException(describe() + " has no retention");
  }

  /** Short description for logs, e.g. "sqlite traces/tracegate.db". */
  String describe();

  @Override
  void close();
}
