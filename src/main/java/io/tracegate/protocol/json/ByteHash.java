package io.tracegate.protocol.json;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * A fast 64-bit hash of a byte range (four independent lanes of eight bytes, then a murmur3 finalizer), for
 * finding a piece of a body seen before: equal bytes hash equally wherever they lie. Not a cryptographic
 * hash: callers compare the bytes of a candidate before they use it.
 */
public final class ByteHash {
  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private ByteHash() {}

  /** The hash of {@code b[from, to)}. */
  public static long of(byte[] b, int from, int to) {
    long h1 = 0x9E3779B97F4A7C15L;
    long h2 = 0xC2B2AE3D27D4EB4FL;
    long h3 = 0x165667B19E3779F9L;
    long h4 = 0x27D4EB2F165667C5L;
    int i = from;
    for (; i + 32 <= to; i += 32) {
      h1 = mix(h1, (long) LONGS.get(b, i));
      h2 = mix(h2, (long) LONGS.get(b, i + 8));
      h3 = mix(h3, (long) LONGS.get(b, i + 16));
      h4 = mix(h4, (long) LONGS.get(b, i + 24));
    }
    long h = Long.rotateLeft(h1, 1) + Long.rotateLeft(h2, 7) + Long.rotateLeft(h3, 12) + Long.rotateLeft(h4, 18);
    h ^= to - from;
    for (; i + 8 <= to; i += 8) {
      h = mix(h, (long) LONGS.get(b, i));
    }
    for (; i < to; i++) {
      h = (h ^ (b[i] & 0xFF)) * 0x100000001B3L;
    }
    h ^= h >>> 33;
    h *= 0xFF51AFD7ED558CCDL;
    h ^= h >>> 33;
    h *= 0xC4CEB9FE1A85EC53L;
    return h ^ (h >>> 33);
  }

  private static long mix(long acc, long word) {
    return Long.rotateLeft(acc ^ (word * 0xC2B2AE3D27D4EB4FL), 31) * 0x9E3779B97F4A7C15L;
  }
}
