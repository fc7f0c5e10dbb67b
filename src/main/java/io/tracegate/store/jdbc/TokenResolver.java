package io.tracegate.store.jdbc;

import io.tracegate.store.StoreException;
import io.tracegate.trace.Span;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Rebuilds full prompt token ids from prefix references, for one read call (or one write transaction). Links
 * are cached for the call: rows already read (a query page) are registered first, and a link still missing is
 * loaded with its whole base chain in ONE recursive query. So a page of a 50-turn rollout costs at most one
 * extra query, not one per link, and each prompt is assembled by copying straight from the stored suffixes
 * (O(prompt length), no intermediate arrays).
 */
public final class TokenResolver {

  private static final String CHAIN = """
      WITH RECURSIVE chain(id) AS (
        SELECT CAST(? AS TEXT)
        UNION
        SELECT s.prompt_base_span_id FROM spans s JOIN chain ON s.span_id = chain.id
        WHERE s.prompt_base_span_id IS NOT NULL
      )
      SELECT s.span_id, s.prompt_base_span_id, s.prompt_prefix_len, s.prompt_token_ids, s.response_token_ids,
             s.array_format
      FROM chain JOIN spans s ON s.span_id = chain.id
      """;

  private final Connection connection;
  private final Map<String, TokenLink> links = new HashMap<>();

  public TokenResolver(Connection connection) {
    this.connection = connection;
  }

  Connection connection() {
    return connection;
  }

  /** Drops a cached link (its row is about to be replaced). */
  void forget(String spanId) {
    links.remove(spanId);
  }

  /** Caches a link whose row was just rewritten. */
  void replace(TokenLink link) {
    links.put(link.spanId(), link);
  }

  /** Completes the prompts of rows read together; spans without a base are returned as read. */
  public List<Span> complete(List<SpanRows.StoredSpan> rows) throws SQLException {
    for (SpanRows.StoredSpan row : rows) {
      if (row.link() != null) {
        links.putIfAbsent(row.link().spanId(), row.link());
      }
    }
    List<Span> spans = new ArrayList<>(rows.size());
    for (SpanRows.StoredSpan row : rows) {
      TokenLink link = row.link();
      spans.add(link == null || link.baseSpanId() == null
          ? row.span()
          : SpanRows.withPrompt(row.span(), prompt(link)));
    }
    return spans;
  }

  /** The full prompt ids of a stored span, or null when it has none or does not exist. */
  public int[] prompt(String spanId) throws SQLException {
    TokenLink link = lookup(spanId);
    return link == null ? null : prompt(link);
  }

  /** The span's stored link (response complete, prompt possibly a suffix), or null when there is none. */
  TokenLink lookup(String spanId) throws SQLException {
    TokenLink link = links.get(spanId);
    if (link == null) {
      load(spanId);
      link = links.get(spanId);
    }
    return link;
  }

  int[] prompt(TokenLink link) throws SQLException {
    int[] out = new int[link.promptLength()];
    copyPrompt(link, out.length, out);
    return out;
  }

  /**
   * Writes the first {@code count} ids of {@code link}'s prompt into {@code out[0..count)}, walking the base
   * chain from the newest link to the oldest: each link contributes its suffix (and its response, when the
   * referencing prefix reaches into it) and hands the rest of the prefix to its base.
   */
  private void copyPrompt(TokenLink link, int count, int[] out) throws SQLException {
    int k = count;
    TokenLink l = link;
    int steps = 0;
    while (true) {
      if (k > l.prefixLength()) {
        System.arraycopy(l.suffix(), 0, out, l.prefixLength(), k - l.prefixLength());
        k = l.prefixLength();
      }
      if (k == 0) {
        return;
      }
      if (l.baseSpanId() == null) {
        throw corrupt(l, "has a prompt prefix of " + l.prefixLength() + " ids but no base span");
      }
      TokenLink base = lookup(l.baseSpanId());
      if (base == null) {
        throw new StoreException("prompt token ids of span " + l.spanId() + " extend span " + l.baseSpanId()
            + ", which is not in the store (or has no prompt token ids): the stored prompt cannot be rebuilt");
      }
      if (k > base.contextLength()) {
        throw corrupt(l, "takes " + k + " ids from base span " + base.spanId() + ", which has only "
            + base.contextLength());
      }
      if (k > base.promptLength()) {
        System.arraycopy(base.response(), 0, out, base.promptLength(), k - base.promptLength());
        k = base.promptLength();
      }
      if (++steps > links.size() + 1) {
        throw corrupt(link, "has a cyclic chain of prompt bases");
      }
      l = base;
    }
  }

  private void load(String spanId) throws SQLException {
    try (PreparedStatement ps = connection.prepareStatement(CHAIN)) {
      ps.setString(1, spanId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          TokenLink link = SpanRows.link(rs);
          if (link.suffix() != null) {
            links.putIfAbsent(link.spanId(), link);
          }
        }
      }
    }
  }

  private static StoreException corrupt(TokenLink l, String what) {
    return new StoreException("stored prompt token ids of span " + l.spanId() + " are corrupt: it " + what);
  }
}
