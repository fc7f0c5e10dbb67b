package io.tracegate.store.sqlite;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.tracegate.trace.Span;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes spans on the writer connection inside the caller's transaction, storing prompts as prefix
 * references where {@link TokenChains} finds one. Replacing a span that other rows use as a prompt base
 * first rewrites those rows with their whole prompt (resolved from the old content), so a reference never
 * changes meaning and no cycle can form. Call under the store's write lock; then {@link #committed} or
 * {@link #rolledBack}.
 */
final class SpanAppender implements AutoCloseable {

  private final SpanRows rows;
  private final Connection writer;
  private final TokenChains chains = new TokenChains();
  private final PartWriter parts;
  private final PreparedStatement insert;
  private final PreparedStatement insertNew;
  private final PreparedStatement dependents;
  private final PreparedStatement detach;

  SpanAppender(Connection writer, SpanRows rows) throws SQLException {
    this.writer = writer;
    this.rows = rows;
    List<AutoCloseable> opened = new ArrayList<>();
    try {
      parts = track(opened, new PartWriter(writer));
      insert = track(opened, writer.prepareStatement(SpanSchema.INSERT));
      insertNew = track(opened, writer.prepareStatement(SpanSchema.INSERT_NEW));
      dependents = track(opened, writer.prepareStatement("SELECT span_id FROM spans WHERE prompt_base_span_id = ?"));
      detach = track(opened, writer.prepareStatement("UPDATE spans SET prompt_token_ids = ?,"
          + " prompt_base_span_id = NULL, prompt_prefix_len = 0 WHERE span_id = ?"));
    } catch (SQLException e) {
      opened.forEach(ReadConnections::closeQuietly);
      throw e;
    }
  }

  /**
   * Inserts (or replaces) every span, in order, in the open transaction. A new span id (the normal case)
   * costs one statement; an existing one is detected by the insert changing nothing, and only then are the
   * spans whose prompts reference it rewritten and the row replaced. {@code betweenSpans} runs after each.
   */
  void write(List<Span> spans, Runnable betweenSpans) throws SQLException, JsonProcessingException {
    TokenResolver resolver = new TokenResolver(writer);
    for (Span span : spans) {
      rows.bind(insertNew, span, plan(span, resolver), parts);
      if (insertNew.executeUpdate() == 0) {
        detachDependents(span.spanId(), resolver);
        resolver.forget(span.spanId());
        chains.forget(span.spanId());
        rows.bind(insert, span, plan(span, resolver), parts);
        insert.executeUpdate();
      }
      chains.remember(span);
      betweenSpans.run();
    }
  }

  private PromptLayout plan(Span span, TokenResolver resolver) throws SQLException {
    try {
      return chains.plan(span, resolver);
    } catch (RuntimeException e) {
      // A base that cannot be read (corrupt row) must not lose this span: store its prompt whole.
      return PromptLayout.whole(span.promptTokenIds());
    }
  }

  void committed() {
    chains.commit();
    parts.committed();
  }

  void rolledBack() {
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
    for (AutoCloseable c : List.of(parts, insert, insertNew, dependents, detach)) {
      ReadConnections.closeQuietly(c);
    }
  }

  private static <T extends AutoCloseable> T track(List<AutoCloseable> opened, T resource) {
    opened.add(resource);
    return resource;
  }
}
