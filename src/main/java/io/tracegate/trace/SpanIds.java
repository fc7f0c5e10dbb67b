package io.tracegate.trace;

import java.util.concurrent.ThreadLocalRandom;

/** Random W3C-style ids: 16 hex chars for spans, 32 for traces (never all zero). */
public final class SpanIds {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private SpanIds() {}

  public static String newSpanId() {
    return hex(nonZero(), 16);
  }

  public static String newTraceId() {
    return hex(nonZero(), 16) + hex(ThreadLocalRandom.current().nextLong(), 16);
  }

  private static long nonZero() {
    long v;
    do {
      v = ThreadLocalRandom.current().nextLong();
    } while (v == 0);
    return v;
  }

  private static String hex(long v, int digits) {
    char[] out = new char[digits];
    for (int i = digits - 1; i >= 0; i--) {
      out[i] = HEX[(int) (v & 0xf)];
      v >>>= 4;
    }
    return new String(out);
  }
}
