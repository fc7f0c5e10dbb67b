package io.tracegate.store.postgres;

import io.tracegate.store.SequenceCounter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * Sequence ids from the {@code rollout_sequences} table: ONE statement, one round trip, per allocation, on a
 * pooled connection in autocommit. A known rollout's row is incremented and returned; a rollout seen for the
 * first time gets a row that continues after its highest stored sequence id (spans copied in), or 1. Two
 * gateways allocating the first id of a rollout at once both try the insert; PostgreSQL's
 * {@code ON CONFLICT DO UPDATE} makes the later one increment the row the earlier one created, so ids stay
 * unique and gapless across every gateway on the database.
 */
final class PostgresSequences implements SequenceCounter {

  static final String NEXT = """
      WITH bumped AS (
        UPDATE rollout_sequences SET last_id = last_id + 1 WHERE rollout_id = ? RETURNING last_id),
      created AS (
        INSERT INTO rollout_sequences (rollout_id, last_id)
        SELECT CAST(? AS text), COALESCE((SELECT MAX(sequence_id) FROM spans WHERE rollout_id = ?), 0) + 1
        WHERE NOT EXISTS (SELECT 1 FROM bumped)
        ON CONFLICT (rollout_id) DO UPDATE SET last_id = rollout_sequences.last_id + 1
        RETURNING last_id)
      SELECT last_id FROM bumped UNION ALL SELECT last_id FROM created
      """;

  private final DataSource pool;
  private final String describe;

  PostgresSequences(DataSource pool, String describe) {
    this.pool = pool;
    this.describe = describe;
  }

  @Override
  public long next(String rolloutId) {
    try (Connection c = pool.getConnection(); PreparedStatement ps = c.prepareStatement(NEXT)) {
      ps.setString(1, rolloutId);
      ps.setString(2, rolloutId);
      ps.setString(3, rolloutId);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw new SQLException("the sequence statement returned no row");
        }
        return rs.getLong(1);
      }
    } catch (SQLException e) {
      throw PostgresErrors.wrap(describe, "sequence id of rollout " + rolloutId, e);
    }
  }
}
