package io.tracegate.store.sqlite;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Packs token ids (little-endian int32) and logprobs (little-endian IEEE float64) into BLOBs. A long
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

  private static void requireMultiple(byte[] blob, int width, String type) {
    if (blob.length % width != 0) {
      throw new IllegalArgumentException(
          "packed " + type + " array has " + blob.length + " bytes, not a multiple of " + width);
    }
  }
}
