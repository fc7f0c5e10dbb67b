package io.tracegate.store.jdbc;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Packs token ids and logprobs into BLOBs. Two layouts per kind, chosen per row by
 * {@link SpanColumns}'s {@code array_format} bits: token ids as little-endian int32 (schema v1 rows) or as
 * unsigned LEB128 varints of the id's 32 bits (v2 rows: 2 bytes for ids below 16,384, 3 below 2,097,152,
 * so about 25-50% smaller for real vocabularies; a negative id costs 5 bytes and stays exact); logprobs as
 * little-endian float64, or float32 when every value of the array converts to float32 and back to the same
 * double bits (vLLM computes logprobs in float32, so its values usually qualify; anything else, including a
 * NaN payload, keeps float64: precision is never lost). A long
 * response has thousands of tokens: as JSON text they would cost 2-3x the bytes plus a parse on every
 * read, packed they cost 4 or 8 bytes each and decode with one bulk copy. Little-endian matches numpy's
 * default, so {@code np.frombuffer(blob, "<i4")} reads the column directly. Null stays null; an empty
 * array stays an empty (zero-length) BLOB. Doubles keep their exact bits (NaN, -Infinity included).
 */
public final class PackedArrays {

  private PackedArrays() {}

  public static byte[] encodeInts(int[] values) {
    if (values == null) {
      return null;
    }
    ByteBuffer buf = ByteBuffer.allocate(values.length * Integer.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    buf.asIntBuffer().put(values);
    return buf.array();
  }

  /** @throws IllegalArgumentException when the length is not a multiple of 4 */
  public static int[] decodeInts(byte[] blob) {
    if (blob == null) {
      return null;
    }
    requireMultiple(blob, Integer.BYTES, "int32");
    int[] values = new int[blob.length / Integer.BYTES];
    ByteBuffer.wrap(blob).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(values);
    return values;
  }

  public static byte[] encodeDoubles(double[] values) {
    if (values == null) {
      return null;
    }
    ByteBuffer buf = ByteBuffer.allocate(values.length * Double.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    buf.asDoubleBuffer().put(values);
    return buf.array();
  }

  /** @throws IllegalArgumentException when the length is not a multiple of 8 */
  public static double[] decodeDoubles(byte[] blob) {
    if (blob == null) {
      return null;
    }
    requireMultiple(blob, Double.BYTES, "float64");
    double[] values = new double[blob.length / Double.BYTES];
    ByteBuffer.wrap(blob).order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer().get(values);
    return values;
  }

  /** Unsigned LEB128 of each id's 32 bits. */
  public static byte[] encodeVarints(int[] values) {
    if (values == null) {
      return null;
    }
    int size = 0;
    for (int v : values) {
      size += varintSize(v);
    }
    byte[] out = new byte[size];
    int p = 0;
    for (int v : values) {
      int rest = v;
      while ((rest & ~0x7F) != 0) {
        out[p++] = (byte) ((rest & 0x7F) | 0x80);
        rest >>>= 7;
      }
      out[p++] = (byte) rest;
    }
    return out;
  }

  /** @throws IllegalArgumentException when the bytes are not a sequence of complete 32-bit varints */
  public static int[] decodeVarints(byte[] blob) {
    if (blob == null) {
      return null;
    }
    int count = 0;
    for (byte b : blob) {
      if (b >= 0) {
        count++;
      }
    }
    if (blob.length > 0 && blob[blob.length - 1] < 0) {
      throw new IllegalArgumentException("packed varint array of " + blob.length + " bytes ends inside a value");
    }
    int[] values = new int[count];
    int p = 0;
    for (int i = 0; i < count; i++) {
      int value = 0;
      int shift = 0;
      while (true) {
        byte b = blob[p++];
        if (shift == 28 && (b & 0xF0) != 0) {
          throw new IllegalArgumentException("packed varint at byte " + (p - 1) + " does not fit in 32 bits");
        }
        value |= (b & 0x7F) << shift;
        if (b >= 0) {
          break;
        }
        shift += 7;
      }
      values[i] = value;
    }
    return values;
  }

  /** Unsigned LEB128 of each value's 64 bits. */
  public static byte[] encodeLongVarints(long[] values) {
    byte[] out = new byte[values.length * 10];
    int p = 0;
    for (long v : values) {
      long rest = v;
      while ((rest & ~0x7FL) != 0) {
        out[p++] = (byte) ((rest & 0x7F) | 0x80);
        rest >>>= 7;
      }
      out[p++] = (byte) rest;
    }
    return java.util.Arrays.copyOf(out, p);
  }

  /** @throws IllegalArgumentException when the bytes are not a sequence of complete 64-bit varints */
  public static long[] decodeLongVarints(byte[] blob) {
    long[] values = new long[blob.length];
    int n = 0;
    int p = 0;
    while (p < blob.length) {
      long v = 0;
      for (int shift = 0; ; shift += 7) {
        if (p == blob.length || shift > 63) {
          throw new IllegalArgumentException("truncated or overlong varint at byte " + p);
        }
        byte b = blob[p++];
        v |= (long) (b & 0x7F) << shift;
        if (b >= 0) {
          break;
        }
      }
      values[n++] = v;
    }
    return java.util.Arrays.copyOf(values, n);
  }

  public static int varintSize(int v) {
    return v < 0 ? 5 : v < (1 << 7) ? 1 : v < (1 << 14) ? 2 : v < (1 << 21) ? 3 : v < (1 << 28) ? 4 : 5;
  }

  /** True when every value survives float64 -> float32 -> float64 with identical bits. */
  public static boolean fitsFloat32(double[] values) {
    if (values == null) {
      return false;
    }
    for (double v : values) {
      if (Double.doubleToRawLongBits((float) v) != Double.doubleToRawLongBits(v)) {
        return false;
      }
    }
    return true;
  }

  /** @throws IllegalArgumentException when some value is not exactly a float32 (see {@link #fitsFloat32}) */
  public static byte[] encodeFloats(double[] values) {
    if (values == null) {
      return null;
    }
    ByteBuffer buf = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    for (double v : values) {
      float f = (float) v;
      if (Double.doubleToRawLongBits(f) != Double.doubleToRawLongBits(v)) {
        throw new IllegalArgumentException("logprob " + v + " is not exactly representable as float32");
      }
      buf.putFloat(f);
    }
    return buf.array();
  }

  /** @throws IllegalArgumentException when the length is not a multiple of 4 */
  public static double[] decodeFloats(byte[] blob) {
    if (blob == null) {
      return null;
    }
    requireMultiple(blob, Float.BYTES, "float32");
    ByteBuffer buf = ByteBuffer.wrap(blob).order(ByteOrder.LITTLE_ENDIAN);
    double[] values = new double[blob.length / Float.BYTES];
    for (int i = 0; i < values.length; i++) {
      values[i] = buf.getFloat();
    }
    return values;
  }

  private static void requireMultiple(byte[] blob, int width, String type) {
    if (blob.length % width != 0) {
      throw new IllegalArgumentException(
          "packed " + type + " array has " + blob.length + " bytes, not a multiple of " + width);
    }
  }
}
