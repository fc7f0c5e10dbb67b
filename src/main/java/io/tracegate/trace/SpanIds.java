package io.tracegate.trace;

import java.security.SecureRandom;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * W3C-style ids: 16 hex chars for spans, 32 for traces (never all zero).
 *
 * <p>Trace ids are random. Span ids are a 64-bit counter that starts at a random value when the process
 * starts: consecutive spans get consecutive ids, so the span store's primary-key index grows at one end
 * instead of touching a random page per insert (at 20k spans/s that was a third of the writer's time), and
 * ids stay unique across processes sharing a store unless two processes' ranges overlap, which for n spans
 * each has probability about 2n / 2^64 per pair, well below the birthday bound of random 64-bit ids.
 */
public final class SpanIds {
  private static final char[] HEX = "0123456789abcdef".toCharArray();
  private static final AtomicLong NEXT_SPAN = new AtomicLong(new SecureRandom().nextLong());

  private SpanIds() {}

  public static String newSpanId() {
    long v;
    do {
      v = NEXT_SPAN.getAndIncrement();
    } while (v == 0);
    return hex(v, 16);
  }

  public static String newTraceId() {
    long high;
    do {
      high = ThreadLocalRandom.current().nextLong();
    } while (high == 0);
    return hex(high, 16) + hex(ThreadLocalRandom.current().nextLong(), 16);
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
