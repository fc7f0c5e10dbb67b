package io.tracegate.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads the parts of stored bodies ({@link BodyParts}) on one connection, for the rows of one read: a
 * conversation's spans share their system prompt, tools and earlier messages, so each part is fetched once
 * per read. The statement is prepared on first use; rows stored whole never touch it.
 */
public final class PartReader implements BodyParts.PartSource, AutoCloseable {

  private final Connection connection;
  private final Map<Long, byte[]> fetched = new HashMap<>();
  private PreparedStatement byId;

  public PartReader(Connection connection) {
    this.connection = connection;
  }

  @Override
  public byte[] part(long partId) throws SQLException {
    byte[] bytes = fetched.get(partId);
    if (bytes != null) {
      return bytes;
    }
    if (byId == null) {
      byId = connection.prepareStatement("SELECT json FROM payload_parts WHERE part_id = ?");
    }
    byId.setLong(1, partId);
    try (ResultSet rs = byId.executeQuery()) {
      bytes = rs.next() ? SpanRows.blob(rs, 1) : null;
    }
    if (bytes != null) {
      fetched.put(partId, bytes);
    }
    return bytes;
  }

  @Override
  public void close() {
    if (byId != null) {
      Jdbc.closeQuietly(byId);
    }
  }
}
