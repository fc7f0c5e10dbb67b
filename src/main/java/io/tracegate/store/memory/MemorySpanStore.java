package io.tracegate.store.memory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tracegate.store.KeyStore;
import io.tracegate.store.RolloutQuery;
import io.tracegate.store.RolloutSummary;
import io.tracegate.store.SpanCursor;
import io.tracegate.store.SpanPage;
import io.tracegate.store.SpanQuery;
import io.tracegate.store.SpanSize;
import io.tracegate.store.SpanStore;
import io.tracegate.trace.RawJson;
import io.tracegate.trace.Span;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * Span store kept in the JVM heap, for tests and {@code store.kind: memory} (nothing survives a restart).
 * It implements exactly the same contract as the SQLite store, so tests of other packages can use it and
 * trust the behaviour to carry over. Spans are kept as given (not copied); a read-write lock lets many
 * readers run in parallel with a single appender.
 */
public final class MemorySpanStore implements SpanStore {

  private static final Comparator<Key> ORDER =
      Comparator.comparingLong(Key::start).thenComparing(Key::spanId);

  private final ReadWriteLock lock = new ReentrantReadWriteLock();
  private final Map<String, Key> keysById = new HashMap<>();
  private final TreeMap<Key, Span> ordered = new TreeMap<>(ORDER);
  /** Rollouts that have (or had, before a replace) spans: makes "exists" O(1) for createRollout. */
  private final Map<String, Integer> spansPerRollout = new HashMap<>();
  private final Map<String, Registration> registered = new HashMap<>();
  private final Map<String, Map<String, Long>> registeredAttempts = new HashMap<>();
  private final MemoryKeyStore keys = new MemoryKeyStore(this::allSpans);

  @Override
  public KeyStore keys() {
    return keys;
  }

  private List<Span> allSpans() {
    lock.readLock().lock();
    try {
      return List.copyOf(ordered.values());
    } finally {
      lock.readLock().unlock();
    }
  }

  @Override
  public void append(List<Span> spans) {
    for (Span span : spans) {
      Objects.requireNonNull(span.spanId(), "span_id");
    }
    lock.writeLock().lock();
    try {
      for (Span given : spans) {
        Span span = materialized(given);
        Key old = keysById.remove(span.spanId());
        if (old != null) {
          Span replaced = ordered.remove(old);
          if (replaced.rolloutId() != null) {
            spansPerRollout.merge(replaced.rolloutId(), -1, (a, b) -> a + b == 0 ? null : a + b);
          }
        }
        if (span.rolloutId() != null) {
          spansPerRollout.merge(span.rolloutId(), 1, Integer::sum);
        }
        Key key = new Key(span.startTimeUnixNano(), span.spanId());
        keysById.put(span.spanId(), key);
        ordered.put(key, span);
      }
    } finally {
      lock.writeLock().unlock();
    }
  }

  @Override
  public boolean createRollout(String rolloutId, JsonNode metadata, long createdUnixNano) {
    Objects.requireNonNull(rolloutId, "rolloutId");
    JsonNode copy = metadata == null || metadata.isNull() || metadata.isMissingNode() ? null : metadata.deepCopy();
    return write(() -> {
      if (registered.containsKey(rolloutId) || spansPerRollout.containsKey(rolloutId)) {
        return false;
      }
      registered.put(rolloutId, new Registration(copy, createdUnixNano));
      return true;
    });
  }

  @Override
  public boolean mergeRolloutTags(String rolloutId, Map<String, String> tags, long nowUnixNano) {
    Objects.requireNonNull(rolloutId, "rolloutId");
    return write(() -> {
      Registration r = registered.get(rolloutId);
      ObjectNode merged = r != null && r.metadata() instanceof ObjectNode o ? o.deepCopy() : JsonNodeFactory.instance.objectNode();
      boolean changed = false;
      for (Map.Entry<String, String> tag : tags.entrySet()) {
        if (!merged.has(tag.getKey())) {
          merged.put(tag.getKey(), tag.getValue());
          changed = true;
        }
      }
      if (r == null) {
        registered.put(rolloutId, new Registration(merged, nowUnixNano));
        return true;
      }
      if (changed) {
        registered.put(rolloutId, new Registration(merged, r.createdUnixNano()));
      }
      return changed;
    });
  }

  @Override
  public void addAttempt(String rolloutId, String attemptId, long createdUnixNano) {
    Objects.requireNonNull(rolloutId, "rolloutId");
    Objects.requireNonNull(attemptId, "attemptId");
    write(() -> {
      registeredAttempts.computeIfAbsent(rolloutId, k -> new HashMap<>()).putIfAbsent(attemptId, createdUnixNano);
      if (!registered.containsKey(rolloutId) && !spansPerRollout.containsKey(rolloutId)) {
        registered.put(rolloutId, new Registration(null, createdUnixNano));
      }
      return null;
    });
  }

  @Override
  public Map<String, Long> registeredAttempts(String rolloutId) {
    Objects.requireNonNull(rolloutId, "rolloutId");
    return read(() -> Map.copyOf(registeredAttempts.getOrDefault(rolloutId, Map.of())));
  }

  @Override
  public List<String> attempts(String rolloutId) {
    Objects.requireNonNull(rolloutId, "rolloutId");
    return read(() -> summarize(rolloutId)).stream().findFirst()
        .map(RolloutAccumulator::attempts).orElse(List.of());
  }

  @Override
  public Optional<Span> find(String spanId) {
    Objects.requireNonNull(spanId, "spanId");
    return read(() -> Optional.ofNullable(keysById.get(spanId)).map(ordered::get));
  }

  @Override
  public long count(SpanQuery query) {
    return read(() -> ordered.values().stream().filter(s -> matches(query, s)).count());
  }

  @Override
  public SpanPage query(SpanQuery query) {
    SpanCursor cursor = query.position();
    return read(() -> {
      NavigableMap<Key, Span> inOrder = query.order() == SpanQuery.Order.DESC ? ordered.descendingMap() : ordered;
      Map<Key, Span> tail = cursor == null
          ? inOrder
          : inOrder.tailMap(new Key(cursor.startTimeUnixNano(), cursor.spanId()), false);
      List<Span> page = new ArrayList<>();
      long bytes = 0;
      for (Span span : tail.values()) {
        if (matches(query, span)) {
          if (page.size() == query.limit() || bytes >= query.maxBytes()) {
            return new SpanPage(page, query.cursorAfter(page.get(page.size() - 1)));
          }
          page.add(span);
          if (query.maxBytes() != SpanQuery.UNBOUNDED) {
            bytes += SpanSize.of(span);
          }
        }
      }
      return new SpanPage(page, null);
    });
  }

  @Override
  public List<RolloutSummary> rollouts(RolloutQuery query) {
    List<RolloutAccumulator> all = read(() -> summarize(null));
    return all.stream()
        .filter(r -> query.sinceUnixNano() == null || r.lastActivity() >= query.sinceUnixNano())
        .sorted(Comparator.comparingLong(RolloutAccumulator::lastActivity).reversed()
            .thenComparing(RolloutAccumulator::rolloutId))
        .limit(query.limit())
        .map(RolloutAccumulator::summary)
        .toList();
  }

  @Override
  public Optional<RolloutSummary> rollout(String rolloutId) {
    Objects.requireNonNull(rolloutId, "rolloutId");
    return read(() -> summarize(rolloutId)).stream().findFirst().map(RolloutAccumulator::summary);
  }

  @Override
  public List<String> rolloutIds(Long sinceUnixNano, String afterRolloutId, int limit) {
    TreeMap<String, Long> lastActivity = read(() -> {
      TreeMap<String, Long> activity = new TreeMap<>();
      for (Span span : ordered.values()) {
        String rollout = span.rolloutId();
        if (rollout != null && (afterRolloutId == null || rollout.compareTo(afterRolloutId) > 0)) {
          activity.merge(rollout, Math.max(span.startTimeUnixNano(), span.endTimeUnixNano()), Math::max);
        }
      }
      for (String rollout : registered.keySet()) {
        if (afterRolloutId == null || rollout.compareTo(afterRolloutId) > 0) {
          activity.merge(rollout, registered.get(rollout).createdUnixNano(), Math::max);
        }
      }
      return activity;
    });
    return lastActivity.entrySet().stream()
        .filter(e -> sinceUnixNano == null || e.getValue() >= sinceUnixNano)
        .map(Map.Entry::getKey)
        .limit(Math.max(0, limit))
        .toList();
  }

  @Override
  public long maxSequenceId(String rolloutId) {
    Objects.requireNonNull(rolloutId, "rolloutId");
    return read(() -> ordered.values().stream()
        .filter(s -> rolloutId.equals(s.rolloutId()) && s.sequenceId() != null)
        .mapToLong(Span::sequenceId)
        .max()
        .orElse(0L));
  }

  @Override
  public String describe() {
    return "memory";
  }

  @Override
  public void close() {
    // Nothing to release; the spans stay readable, as a closed JDBC store's file does.
  }

  /** Bodies kept raw by the recorder come back as trees, as from any store. */
  private static Span materialized(Span s) {
    if (!RawJson.isRaw(s.request()) && !RawJson.isRaw(s.response()) && !RawJson.isRaw(s.upstreamRequest())) {
      return s;
    }
    return new Span(s.spanId(), s.traceId(), s.parentId(), s.rolloutId(), s.attemptId(), s.sequenceId(), s.kind(),
        s.name(), s.startTimeUnixNano(), s.endTimeUnixNano(), s.firstTokenTimeUnixNano(), s.status(),
        s.statusMessage(), s.frontendProtocol(), s.frontendModel(), s.provider(), s.backend(), s.backendModel(),
        s.usage(), s.costUsd(), RawJson.materialize(s.request()), RawJson.materialize(s.response()),
        RawJson.materialize(s.upstreamRequest()), s.promptTokenIds(), s.responseTokenIds(), s.responseLogprobs(),
        s.modelVersion(), s.attempts(), s.attributes());
  }

  private static boolean matches(SpanQuery q, Span s) {
    return (q.rolloutId() == null || q.rolloutId().equals(s.rolloutId()))
        && (q.attemptId() == null || q.attemptId().equals(s.attemptId()))
        && (q.kind() == null || q.kind().equals(s.kind()))
        && (q.sinceUnixNano() == null || s.startTimeUnixNano() >= q.sinceUnixNano());
  }

  /** Aggregates of one rollout (or of all when {@code onlyRollout} is null), in no particular order. */
  private List<RolloutAccumulator> summarize(String onlyRollout) {
    Map<String, RolloutAccumulator> byRollout = new HashMap<>();
    for (Span span : ordered.values()) {
      String rollout = span.rolloutId();
      if (rollout != null && (onlyRollout == null || onlyRollout.equals(rollout))) {
        byRollout.computeIfAbsent(rollout, RolloutAccumulator::new).add(span);
      }
    }
    registered.forEach((rollout, r) -> {
      if (onlyRollout == null || onlyRollout.equals(rollout)) {
        byRollout.computeIfAbsent(rollout, RolloutAccumulator::new).register(r.metadata(), r.createdUnixNano());
      }
    });
    registeredAttempts.forEach((rollout, attempts) -> {
      RolloutAccumulator acc = byRollout.get(rollout);
      if (acc != null) {
        attempts.forEach(acc::attempt);
      }
    });
    return List.copyOf(byRollout.values());
  }

  private <T> T read(Supplier<T> action) {
    lock.readLock().lock();
    try {
      return action.get();
    } finally {
      lock.readLock().unlock();
    }
  }

  private <T> T write(Supplier<T> action) {
    lock.writeLock().lock();
    try {
      return action.get();
    } finally {
      lock.writeLock().unlock();
    }
  }

  private record Key(long start, String spanId) {}

  private record Registration(JsonNode metadata, long createdUnixNano) {}
}
