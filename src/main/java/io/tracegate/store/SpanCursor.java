package io.tracegate.store;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;

/**
 * Keyset position in the (start_time_unix_nano, span_id) order of {@link SpanStore#query}, in one direction:
 * the last span of a page and the order the page was read in. Clients see it only as the opaque, URL-safe
 * {@link SpanPage#nextCursor()} string, so every store implementation encodes it the same way and the format
 * can change behind a version byte.
 *
 * <p>Keyset (rather than offset) pagination stays correct and cheap while the gateway keeps appending spans.
 * The order is part of the cursor so that a cursor of an oldest-first listing cannot silently skip or repeat
 * spans when passed to a newest-first one: {@link #requireOrder} refuses it.
 */
public record SpanCursor(long startTimeUnixNano, String spanId, SpanQuery.Order order) {

  /** Version 1 (no order byte, always oldest first) is still read: cursors outlive a gateway upgrade. */
  private static final byte V1 = 1;
  private static final byte V2 = 2;
  private static final int V1_HEADER = 1 + Long.BYTES;
  private static final int V2_HEADER = 2 + Long.BYTES;
  private static final int MAX_ECHO = 64;

  public SpanCursor {
    Objects.requireNonNull(spanId, "spanId");
    Objects.requireNonNull(order, "order");
  }

  /** Opaque URL-safe base64 text (no padding) for {@link SpanPage#nextCursor()}. */
  public String encode() {
    byte[] id = spanId.getBytes(StandardCharsets.UTF_8);
    ByteBuffer buf = ByteBuffer.allocate(V2_HEADER + id.length);
    buf.put(V2).put((byte) order.ordinal()).putLong(startTimeUnixNano).put(id);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(buf.array());
  }

  /**
   * Parses a cursor produced by {@link #encode()} (or by the version before it).
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
    if (raw.length <= V1_HEADER) {
      throw malformed(cursor, "too short");
    }
    ByteBuffer buf = ByteBuffer.wrap(raw);
    byte version = buf.get();
    SpanQuery.Order order;
    int header;
    if (version == V1) {
      order = SpanQuery.Order.ASC;
      header = V1_HEADER;
    } else if (version == V2 && raw.length > V2_HEADER) {
      int o = buf.get();
      if (o < 0 || o >= SpanQuery.Order.values().length) {
        throw malformed(cursor, "unknown order");
      }
      order = SpanQuery.Order.values()[o];
      header = V2_HEADER;
    } else {
      throw malformed(cursor, version == V2 ? "too short" : "unknown version");
    }
    long start = buf.getLong();
    String spanId = new String(raw, header, raw.length - header, StandardCharsets.UTF_8);
    return new SpanCursor(start, spanId, order);
  }

  /**
   * @throws IllegalArgumentException when this cursor continues a listing in the other order
   */
  public SpanCursor requireOrder(SpanQuery.Order expected) {
    if (order != expected) {
      throw new IllegalArgumentException("this cursor continues a listing in order=" + order.id()
          + ", not order=" + expected.id() + ": pass it with the same order as the request that returned it");
    }
    return this;
  }

  /** True when a span at (start, spanId) comes strictly after this cursor in the cursor's order. */
  public boolean precedes(long start, String otherSpanId) {
    int c = start != startTimeUnixNano ? Long.compare(start, startTimeUnixNano) : otherSpanId.compareTo(spanId);
    return order == SpanQuery.Order.ASC ? c > 0 : c < 0;
  }

  private static IllegalArgumentException malformed(String cursor, String why) {
    String echo = cursor.length() > MAX_ECHO ? cursor.substring(0, MAX_ECHO) + "..." : cursor;
    return new IllegalArgumentException(
        "malformed cursor '" + echo + "' (" + why + "): pass the next_cursor of a previous page unchanged");
  }
}
