package io.tracegate.store;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;

/**
 * Keyset position in the (start_time_unix_nano, span_id) order of {@link SpanStore#query}: the last span of
 * a page. Clients see it only as the opaque, URL-safe {@link SpanPage#nextCursor()} string, so every store
 * implementation encodes it the same way and the format can change behind a version byte.
 *
 * <p>Keyset (rather than offset) pagination stays correct and cheap while the gateway keeps appending spans.
 */
public record SpanCursor(long startTimeUnixNano, String spanId) {

  private static final byte VERSION = 1;
  private static final int HEADER_BYTES = 1 + Long.BYTES;
  private static final int MAX_ECHO = 64;

  public SpanCursor {
    Objects.requireNonNull(spanId, "spanId");
  }

  /** Opaque URL-safe base64 text (no padding) for {@link SpanPage#nextCursor()}. */
  public String encode() {
    byte[] id = spanId.getBytes(StandardCharsets.UTF_8);
    ByteBuffer buf = ByteBuffer.allocate(HEADER_BYTES + id.length);
    buf.put(VERSION).putLong(startTimeUnixNano).put(id);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(buf.array());
  }

  /**
   * Parses a cursor produced by {@link #encode()}.
   *
   * @throws IllegalArgumentException when the text is not a cursor this version produced
   */
  public static SpanCursor decode(String cursor) {
    Objects.requireNonNull(cursor, "cursor");
    byte[] raw;
    try {
      raw = Base64.getUrlDecoder().decode(cursor);
    } catch (IllegalArgumentException e) {
      throw malformed(cursor, "not URL-safe base64");
    }
    if (raw.length <= HEADER_BYTES) {
      throw malformed(cursor, "too short");
    }
    ByteBuffer buf = ByteBuffer.wrap(raw);
    if (buf.get() != VERSION) {
      throw malformed(cursor, "unknown version");
    }
    long start = buf.getLong();
    String spanId = new String(raw, HEADER_BYTES, raw.length - HEADER_BYTES, StandardCharsets.UTF_8);
    return new SpanCursor(start, spanId);
  }

  /** True when a span at (start, spanId) comes strictly after this cursor in query order. */
  public boolean precedes(long start, String otherSpanId) {
    return start > startTimeUnixNano || (start == startTimeUnixNano && otherSpanId.compareTo(spanId) > 0);
  }

  private static IllegalArgumentException malformed(String cursor, String why) {
    String echo = cursor.length() > MAX_ECHO ? cursor.substring(0, MAX_ECHO) + "..." : cursor;
    return new IllegalArgumentException(
        "malformed cursor '" + echo + "' (" + why + "): pass the next_cursor of a previous page unchanged");
  }
}
