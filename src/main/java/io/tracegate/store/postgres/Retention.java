package io.tracegate.store.postgres;

import io.tracegate.store.jdbc.PackedArrays;
import io.tracegate.store.jdbc.TokenResolver;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code store.retention} on PostgreSQL: drops the day partitions of {@code spans} that ended before the cutoff.
 * A newer span may store its prompt as a suffix of a span in a dropped day (a rollout that crossed midnight):
 * those prompts are first rewritten whole, in the same transaction, so no kept span loses token ids.
 */
final class Retention {

  private Retention() {}

  /** @return spans dropped */
  static long dropPartitions(Connection c, Partitions partitions, long cutoffUnixNano) throws SQLException {
    long dropped = 0;
    for (Partitions.Partition p : Partitions.before(c, cutoffUnixNano)) {
      c.setAutoCommit(false);
      try {
        detachDependents(c, p);
        try (Statement st = c.createStatement()) {
          dropped += SpanWriterConnection.scalar(c, "SELECT COUNT(*) FROM " + p.name());
          st.execute("DROP TABLE IF EXISTS " + p.name());
        }
        c.commit();
      } catch (SQLException | RuntimeException e) {
        PostgresSpanStore.rollbackQuietly(c, e);
        throw e;
      } finally {
        c.setAutoCommit(true);
      }
      partitions.dropped(p);
    }
    return dropped;
  }

  /** Rewrites with their whole prompt the kept spans whose prompt extends a span of {@code p}. */
  private static void detachDependents(Connection c, Partitions.Partition p) throws SQLException {
    List<String> dependents = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT s.span_id FROM spans s JOIN " + p.name()
        + " b ON b.span_id = s.prompt_base_span_id WHERE s.start_time_unix_nano >= ?")) {
      ps.setLong(1, p.endUnixNano());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          dependents.add(rs.getString(1));
        }
      }
    }
    TokenResolver resolver = new TokenResolver(c);
    try (PreparedStatement detach = c.prepareStatement("UPDATE spans SET prompt_token_ids = ?,"
        + " prompt_base_span_id = NULL, prompt_prefix_len = 0 WHERE span_id = ?")) {
      for (String id : dependents) {
        detach.setBytes(1, PackedArrays.encodeVarints(resolver.prompt(id)));
        detach.setString(2, id);
        detach.executeUpdate();
      }
    }
  }
}
