package io.tracegate.store.jdbc;

import io.tracegate.protocol.json.ByteHash;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Stores request bodies with their repeated pieces ({@link BodyParts}) as rows of {@code payload_parts}, each
 * distinct piece once. A piece is found again by its hash: first among the parts this writer stored or met
 * recently (kept in memory up to {@link #CACHED_BYTES}), then in the table; a candidate counts only if its
 * bytes are equal, so a hash collision costs a lookup, never a wrong body. Runs on the writer connection
 * inside the caller's transaction: parts met in a transaction become cached for later ones only when it
 * commits ({@link #committed}), so a rolled-back part id is never reused.
 */
final class PartWriter implements AutoCloseable {

  /** Memory for recently stored parts' bytes: a Claude Code session's system prompt and tools are ~75 KB. */
  static final long CACHED_BYTES = 32L * 1024 * 1024;

  private final PreparedStatement byHash;
  private final PreparedStatement insert;
  private final Map<Long, Known> pending = new HashMap<>();
  private final Recent recent = new Recent();

  /** A body as stored: the text with placeholders, and where they are (null when nothing was taken out). */
  record Stored(byte[] text, byte[] refs) {}

  private record Known(long partId, byte[] bytes) {}

  PartWriter(Connection writer, SqlDialect dialect) throws SQLException {
    byHash = writer.prepareStatement("SELECT part_id, json FROM payload_parts WHERE hash = ?");
    PreparedStatement ins = null;
    try {
      ins = writer.prepareStatement("INSERT INTO payload_parts (hash, json) VALUES (?, " + dialect.utf8Text() + ") RETURNING part_id");
    } finally {
      if (ins == null) {
        Jdbc.closeQuietly(byHash);
      }
    }
    insert = ins;
  }

  /** The stored form of {@code body} (null stays null), adding the parts not stored yet. */
  Stored store(byte[] body) throws SQLException {
    if (body == null) {
      return new Stored(null, null);
    }
    int[] ranges = BodyParts.locate(body);
    if (ranges.length == 0) {
      return new Stored(body, null);
    }
    int pieces = ranges.length / 2;
    BodyParts.Ref[] refs = new BodyParts.Ref[pieces];
    byte[][] placeholders = new byte[pieces][];
    int size = body.length;
    int previousEnd = 0;
    for (int k = 0; k < pieces; k++) {
      int start = ranges[2 * k];
      int end = ranges[2 * k + 1];
      long partId = partId(body, start, end);
      placeholders[k] = BodyParts.placeholder(partId);
      refs[k] = new BodyParts.Ref(start - previousEnd, placeholders[k].length, partId);
      size += placeholders[k].length - (end - start);
      previousEnd = end;
    }
    byte[] text = new byte[size];
    int in = 0;
    int o = 0;
    for (int k = 0; k < pieces; k++) {
      int start = ranges[2 * k];
      System.arraycopy(body, in, text, o, start - in);
      o += start - in;
      System.arraycopy(placeholders[k], 0, text, o, placeholders[k].length);
      o += placeholders[k].length;
      in = ranges[2 * k + 1];
    }
    System.arraycopy(body, in, text, o, body.length - in);
    return new Stored(text, BodyParts.encodeRefs(refs));
  }

  private long partId(byte[] body, int start, int end) throws SQLException {
    long hash = ByteHash.of(body, start, end);
    Known known = pending.get(hash);
    if (known == null) {
      known = recent.get(hash);
    }
    if (known != null && Arrays.equals(known.bytes(), 0, known.bytes().length, body, start, end)) {
      return known.partId();
    }
    byHash.setLong(1, hash);
    try (ResultSet rs = byHash.executeQuery()) {
      while (rs.next()) {
        byte[] bytes = rs.getBytes(2);
        if (bytes != null && Arrays.equals(bytes, 0, bytes.length, body, start, end)) {
          long id = rs.getLong(1);
          pending.put(hash, new Known(id, bytes));
          return id;
        }
      }
    }
    byte[] bytes = Arrays.copyOfRange(body, start, end);
    insert.setLong(1, hash);
    insert.setBytes(2, bytes);
    try (ResultSet rs = insert.executeQuery()) {
      if (!rs.next()) {
        throw new SQLException("INSERT ... RETURNING gave no part id");
      }
      long id = rs.getLong(1);
      pending.put(hash, new Known(id, bytes));
      return id;
    }
  }

  void committed() {
    pending.forEach(recent::put);
    pending.clear();
  }

  void rolledBack() {
    pending.clear();
  }

  @Override
  public void close() {
    Jdbc.closeQuietly(byHash);
    Jdbc.closeQuietly(insert);
  }

  /** Least recently used first out, by the bytes held. */
  private static final class Recent {
    private final LinkedHashMap<Long, Known> byHash = new LinkedHashMap<>(256, 0.75f, true);
    private long bytes;

    Known get(long hash) {
      return byHash.get(hash);
    }

    void put(long hash, Known known) {
      Known old = byHash.put(hash, known);
      bytes += known.bytes().length - (old == null ? 0 : old.bytes().length);
      Iterator<Known> eldestFirst = byHash.values().iterator();
      while (bytes > CACHED_BYTES && eldestFirst.hasNext()) {
        Known eldest = eldestFirst.next();
        if (eldest != known) {
          bytes -= eldest.bytes().length;
          eldestFirst.remove();
        }
      }
    }
  }
}
