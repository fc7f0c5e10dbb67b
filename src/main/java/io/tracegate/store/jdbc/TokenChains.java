package io.tracegate.store.jdbc;

import io.tracegate.trace.Span;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Chooses, on the writer thread, how each appended span's prompt token ids are stored. An agent's turn k
 * sends the whole conversation again (turn k-1's prompt, its response, then the new tool output), so
 * storing every prompt whole costs storage quadratic in the conversation. Instead a span whose prompt
 * shares a prefix of at least {@link #MIN_PREFIX} ids with the context (prompt followed by response ids) of
 * a recent span of the SAME rollout stores only the rest, plus the base's span id and the prefix length.
 *
 * <p>The prefix is the longest common prefix with the candidate's context, so both cases of the issue are
 * covered by one rule: a prompt that extends the previous prompt + response shares all of it; a prompt that
 * extends only the previous prompt (the response was re-tokenised differently, or the turn was retried)
 * shares the prompt and whatever leading response ids still agree. Candidates are the last
 * {@link #PER_ROLLOUT} spans with prompt ids appended for the rollout (the batch in progress, then a small
 * in-memory LRU bounded by {@link #CACHE_IDS} ids in total, so the common case costs no query); when the
 * cache knows nothing of the rollout (after a restart, or eviction) the rollout's latest stored span is read
 * back. The longest prefix wins, ties go to the most recent span.
 *
 * <p>Cache entries hold the appended spans' own arrays (never mutated) and become visible only when the
 * transaction commits, so a rolled-back batch can never become a base. Not thread-safe: the store calls it
 * under its write lock.
 */
public final class TokenChains {

  /** Shorter shared prefixes are stored whole: a reference would save little and lengthen read chains. */
  public static final int MIN_PREFIX = 32;
  static final int PER_ROLLOUT = 4;
  static final long CACHE_IDS = 8L * 1024 * 1024;

  private final String latest;

  private final LinkedHashMap<String, Deque<Context>> committed = new LinkedHashMap<>(16, 0.75f, true);
  private final List<Context> pending = new ArrayList<>();
  private long cachedIds;

  TokenChains(SqlDialect dialect) {
    latest = "SELECT span_id FROM spans WHERE rollout_id = ? AND span_id <> ?"
        + " AND prompt_token_ids IS NOT NULL ORDER BY sequence_id DESC, " + dialect.newestFirst() + " LIMIT 1";
  }

  /** Decides the layout of {@code span}'s prompt; {@code reader} sees the transaction's own writes. */
  PromptLayout plan(Span span, TokenResolver reader) throws SQLException {
    int[] prompt = span.promptTokenIds();
    String rollout = span.rolloutId();
    if (prompt == null || rollout == null || prompt.length < MIN_PREFIX) {
      return PromptLayout.whole(prompt);
    }
    List<Context> candidates = candidates(rollout);
    if (candidates.isEmpty()) {
      Context stored = latestStored(span, reader);
      if (stored != null) {
        candidates = List.of(stored);
      }
    }
    Context best = null;
    int bestLength = 0;
    for (Context c : candidates) {
      if (c.spanId().equals(span.spanId())) {
        continue;
      }
      int length = commonPrefix(prompt, c);
      if (length > bestLength) {
        best = c;
        bestLength = length;
      }
    }
    if (best == null || bestLength < MIN_PREFIX) {
      return PromptLayout.whole(prompt);
    }
    return new PromptLayout(Arrays.copyOfRange(prompt, bestLength, prompt.length), best.spanId(), bestLength);
  }

  /** Makes {@code span} a candidate for later spans once the transaction commits. */
  void remember(Span span) {
    if (span.rolloutId() != null && span.promptTokenIds() != null) {
      pending.add(new Context(span.rolloutId(), span.spanId(), span.promptTokenIds(), span.responseTokenIds()));
    }
  }

  /** A span with this id is being replaced: it must not serve as a base with its old content. */
  void forget(String spanId) {
    pending.removeIf(c -> c.spanId().equals(spanId));
    for (Deque<Context> contexts : committed.values()) {
      for (Iterator<Context> it = contexts.iterator(); it.hasNext(); ) {
        Context c = it.next();
        if (c.spanId().equals(spanId)) {
          it.remove();
          cachedIds -= c.size();
        }
      }
    }
  }

  void commit() {
    for (Context c : pending) {
      Deque<Context> contexts = committed.computeIfAbsent(c.rolloutId(), k -> new ArrayDeque<>());
      contexts.addFirst(c);
      cachedIds += c.size();
      while (contexts.size() > PER_ROLLOUT) {
        cachedIds -= contexts.removeLast().size();
      }
    }
    pending.clear();
    evict();
  }

  void rollback() {
    pending.clear();
  }

  /** Forgets every cached base (spans were deleted behind the writer's back: retention). */
  void clear() {
    committed.clear();
    pending.clear();
    cachedIds = 0;
  }

  /** Ids held by the cache (for tests). */
  long cachedIds() {
    return cachedIds;
  }

  private void evict() {
    Iterator<Map.Entry<String, Deque<Context>>> it = committed.entrySet().iterator();
    while (cachedIds > CACHE_IDS && it.hasNext()) {
      for (Context c : it.next().getValue()) {
        cachedIds -= c.size();
      }
      it.remove();
    }
  }

  /** Newest first: this batch's spans of the rollout, then the committed cache. */
  private List<Context> candidates(String rollout) {
    List<Context> out = new ArrayList<>();
    for (int i = pending.size() - 1; i >= 0 && out.size() < PER_ROLLOUT; i--) {
      if (pending.get(i).rolloutId().equals(rollout)) {
        out.add(pending.get(i));
      }
    }
    Deque<Context> contexts = committed.get(rollout);
    if (contexts != null) {
      for (Context c : contexts) {
        if (out.size() >= PER_ROLLOUT) {
          break;
        }
        out.add(c);
      }
    }
    return out;
  }

  private Context latestStored(Span span, TokenResolver reader) throws SQLException {
    String spanId;
    try (PreparedStatement ps = reader.connection().prepareStatement(latest)) {
      ps.setString(1, span.rolloutId());
      ps.setString(2, span.spanId());
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return null;
        }
        spanId = rs.getString(1);
      }
    }
    TokenLink link = reader.lookup(spanId);
    return link == null ? null : new Context(span.rolloutId(), spanId, reader.prompt(link), link.response());
  }

  /** Length of the longest common prefix of {@code prompt} and {@code c}'s prompt followed by its response. */
  static int commonPrefix(int[] prompt, Context c) {
    int first = mismatch(prompt, 0, c.prompt());
    if (first < c.prompt().length || c.response() == null) {
      return first;
    }
    return first + mismatch(prompt, first, c.response());
  }

  /** Number of leading equal ids of {@code a[from..]} and {@code b}. */
  private static int mismatch(int[] a, int from, int[] b) {
    int n = Math.min(a.length - from, b.length);
    int m = Arrays.mismatch(a, from, from + n, b, 0, n);
    return m < 0 ? n : m;
  }

  record Context(String rolloutId, String spanId, int[] prompt, int[] response) {
    long size() {
      return prompt.length + (response == null ? 0L : response.length);
    }
  }
}
