package io.tracegate.store.jdbc;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.tracegate.trace.Span;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Writes spans on the writer connection inside the caller's transaction, storing prompts as prefix
 * references where {@link TokenChains} finds one. Replacing a span that other rows use as a prompt base
 * first rewrites those rows with their whole prompt (resolved from the old content), so a reference never
 * changes meaning and no cycle can form. Call under the store's write lock; then {@link #committed} or
 * {@link #rolledBack}.
 *
 * <p>Two ways to insert, by {@link SqlDialect#batchedInserts}: span by span (SQLite, in-process: an
 * {@code INSERT ... ON CONFLICT DO NOTHING} that changes nothing reveals a stored id), or, where each statement
 * is a network round trip (PostgreSQL), one query for the batch's ids already stored and one JDBC batch of
 * INSERTs for the new spans, which the driver sends as multi-row INSERTs.
 */
public final class SpanAppender implements AutoCloseable {

  private final SpanRows rows;
  private final Connection writer;
  private final SqlDialect dialect;
  private final TokenChains chains;
  private final PartWriter parts;
  private final PreparedStatement insert;
  private final PreparedStatement insertUnlessStored;
  private final PreparedStatement delete;
  private final PreparedStatement dependents;
  private final PreparedStatement detach;

  public SpanAppender(Connection writer, SpanRows rows, SqlDialect dialect) throws SQLException {
    this.writer = writer;
    this.rows = rows;
    this.dialect = dialect;
    this.chains = new TokenChains(dialect);
    List<AutoCloseable> opened = new ArrayList<>();
    try {
      parts = track(opened, new PartWriter(writer, dialect));
      insert = track(opened, writer.prepareStatement(SpanColumns.insert(dialect)));
      insertUnlessStored = dialect.batchedInserts() ? null
          : track(opened, writer.prepareStatement(SpanColumns.insertUnlessStored(dialect)));
      delete = track(opened, writer.prepareStatement("DELETE FROM spans WHERE span_id = ?"));
      dependents = track(opened, writer.prepareStatement("SELECT span_id FROM spans WHERE prompt_base_span_id = ?"));
      detach = track(opened, writer.prepareStatement("UPDATE spans SET prompt_token_ids = ?,"
          + " prompt_base_span_id = NULL, prompt_prefix_len = 0 WHERE span_id = ?"));
    } catch (SQLException e) {
      opened.forEach(Jdbc::closeQuietly);
      throw e;
    }
  }

  /**
   * Inserts (or replaces) every span, in order, in the open transaction. A new span id (the normal case)
   * costs one row; an existing one is detected, and only then are the spans whose prompts reference it
   * rewritten and the row replaced. {@code betweenSpans} runs after each.
   */
  public void write(List<Span> spans, Runnable betweenSpans) throws SQLException, JsonProcessingException {
    if (dialect.batchedInserts()) {
      writeBatched(spans, betweenSpans);
      return;
    }
    TokenResolver resolver = new TokenResolver(writer);
    for (Span span : spans) {
      rows.bind(insertUnlessStored, span, plan(span, resolver), parts);
      if (insertUnlessStored.executeUpdate() == 0) {
        replace(span, resolver);
      }
      chains.remember(span);
      betweenSpans.run();
    }
  }

  private void writeBatched(List<Span> spans, Runnable betweenSpans) throws SQLException, JsonProcessingException {
    TokenResolver resolver = new TokenResolver(writer);
    Set<String> stored = storedIds(spans);
    Set<String> seen = new HashSet<>();
    int batched = 0;
    for (Span span : spans) {
      if (stored.contains(span.spanId()) || !seen.add(span.spanId())) {
        if (batched > 0) {
          insert.executeBatch(); // the replaced row (or its dependents) may be in the batch
          batched = 0;
        }
        replace(span, resolver);
      } else {
        rows.bind(insert, span, plan(span, resolver), parts);
        insert.addBatch();
        batched++;
      }
      chains.remember(span);
      betweenSpans.run();
    }
    if (batched > 0) {
      insert.executeBatch();
    }
  }

  /** Replaces the stored row of {@code span}'s id, first detaching the rows that use it as a prompt base. */
  private void replace(Span span, TokenResolver resolver) throws SQLException, JsonProcessingException {
    detachDependents(span.spanId(), resolver);
    resolver.forget(span.spanId());
    chains.forget(span.spanId());
    delete.setString(1, span.spanId());
    delete.executeUpdate();
    rows.bind(insert, span, plan(span, resolver), parts);
    insert.executeUpdate();
  }

  private Set<String> storedIds(List<Span> spans) throws SQLException {
    Set<String> stored = new HashSet<>();
    Array ids = writer.createArrayOf("text", spans.stream().map(Span::spanId).distinct().toArray());
    try (PreparedStatement ps = writer.prepareStatement("SELECT span_id FROM spans WHERE span_id = ANY(?)")) {
      ps.setArray(1, ids);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          stored.add(rs.getString(1));
        }
      }
    } finally {
      ids.free();
    }
    return stored;
  }

  private PromptLayout plan(Span span, TokenResolver resolver) throws SQLException {
    try {
      return chains.plan(span, resolver);
    } catch (RuntimeException e) {
      // A base that cannot be read (corrupt row) must not lose this span: store its prompt whole.
      return PromptLayout.whole(span.promptTokenIds());
    }
  }

  /** Spans were deleted (retention): none of the cached ones may serve as a prompt base any more. */
  public void forgetCachedBases() {
    chains.clear();
  }

  public void committed() {
    chains.commit();
    parts.committed();
  }

  public void rolledBack() {
    chains.rollback();
    parts.rolledBack();
  }

  private void detachDependents(String spanId, TokenResolver resolver) throws SQLException {
    List<String> ids = new ArrayList<>();
    dependents.setString(1, spanId);
    try (ResultSet rs = dependents.executeQuery()) {
      while (rs.next()) {
        ids.add(rs.getString(1));
      }
    }
    for (String id : ids) {
      TokenLink link = resolver.lookup(id);
      int[] prompt = resolver.prompt(link);
      detach.setBytes(1, PackedArrays.encodeVarints(prompt));
      detach.setString(2, id);
      detach.executeUpdate();
      resolver.replace(new TokenLink(id, null, 0, prompt, link.response()));
    }
  }

  @Override
  public void close() {
    for (AutoCloseable c : new AutoCloseable[] {parts, insert, insertUnlessStored, delete, dependents, detach}) {
      Jdbc.closeQuietly(c);
    }
  }

  private static <T extends AutoCloseable> T track(List<AutoCloseable> opened, T resource) {
    opened.add(resource);
    return resource;
  }
}
