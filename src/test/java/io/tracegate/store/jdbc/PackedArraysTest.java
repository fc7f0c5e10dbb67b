package io.tracegate.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PackedArraysTest {

  @Test
  void nullStaysNull() {
    assertThat(PackedArrays.encodeInts(null)).isNull();
    assertThat(PackedArrays.decodeInts(null)).isNull();
    assertThat(PackedArrays.encodeDoubles(null)).isNull();
    assertThat(PackedArrays.decodeDoubles(null)).isNull();
  }

  @Test
  void emptyStaysEmpty() {
    assertThat(PackedArrays.encodeInts(new int[0])).isEmpty();
    assertThat(PackedArrays.decodeInts(new byte[0])).isEmpty();
    assertThat(PackedArrays.encodeDoubles(new double[0])).isEmpty();
    assertThat(PackedArrays.decodeDoubles(new byte[0])).isEmpty();
  }

  @Test
  void intsAreLittleEndianInt32() {
    assertThat(PackedArrays.encodeInts(new int[] {1, 0x01020304, -1}))
        .containsExactly(1, 0, 0, 0, 4, 3, 2, 1, 0xff, 0xff, 0xff, 0xff);
    int[] ids = {0, 151_643, Integer.MAX_VALUE, Integer.MIN_VALUE, -7};
    assertThat(PackedArrays.decodeInts(PackedArrays.encodeInts(ids))).containsExactly(ids);
  }

  @Test
  void doublesAreLittleEndianFloat64KeepingExactBits() {
    assertThat(PackedArrays.encodeDoubles(new double[] {1.0}))
        .containsExactly(0, 0, 0, 0, 0, 0, 0xf0, 0x3f);
    double[] logprobs = {-0.0, 0.0, -1e-300, Double.NEGATIVE_INFINITY, Double.NaN, -3.25};
    double[] back = PackedArrays.decodeDoubles(PackedArrays.encodeDoubles(logprobs));
    assertThat(back).hasSize(logprobs.length);
    for (int i = 0; i < logprobs.length; i++) {
      assertThat(Double.doubleToRawLongBits(back[i])).isEqualTo(Double.doubleToRawLongBits(logprobs[i]));
    }
  }

  @Test
  void rejectsATruncatedBlob() {
    assertThatThrownBy(() -> PackedArrays.decodeInts(new byte[5]))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a multiple of 4");
    assertThatThrownBy(() -> PackedArrays.decodeDoubles(new byte[12]))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a multiple of 8");
  }

  @Test
  void varintsRoundTripEveryIdAndAreSmallForSmallIds() {
    int[] ids = {0, 1, 127, 128, 16_383, 16_384, 151_643, 2_097_151, 2_097_152, Integer.MAX_VALUE,
        Integer.MIN_VALUE, -1};
    byte[] packed = PackedArrays.encodeVarints(ids);
    assertThat(packed).hasSize(1 + 1 + 1 + 2 + 2 + 3 + 3 + 3 + 4 + 5 + 5 + 5);
    assertThat(PackedArrays.decodeVarints(packed)).containsExactly(ids);
    assertThat(PackedArrays.encodeVarints(new int[] {300})).containsExactly(0xAC, 0x02);
    assertThat(PackedArrays.encodeVarints(null)).isNull();
    assertThat(PackedArrays.decodeVarints(new byte[0])).isEmpty();
  }

  @Test
  void rejectsTruncatedOrOversizedVarints() {
    assertThatThrownBy(() -> PackedArrays.decodeVarints(new byte[] {1, (byte) 0x80}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ends inside");
    assertThatThrownBy(() -> PackedArrays.decodeVarints(
        new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x10}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("32 bits");
  }

  @Test
  void float32IsUsedOnlyWhenLossless() {
    double[] floats = {-0.0f, -1.5f, (double) -0.123456789f, Double.NEGATIVE_INFINITY, Double.NaN};
    assertThat(PackedArrays.fitsFloat32(floats)).isTrue();
    double[] back = PackedArrays.decodeFloats(PackedArrays.encodeFloats(floats));
    for (int i = 0; i < floats.length; i++) {
      assertThat(Double.doubleToRawLongBits(back[i])).isEqualTo(Double.doubleToRawLongBits(floats[i]));
    }
    assertThat(PackedArrays.fitsFloat32(new double[] {-0.1})).isFalse();
    assertThat(PackedArrays.fitsFloat32(new double[] {1e-50})).isFalse();
    assertThat(PackedArrays.fitsFloat32(new double[] {Double.longBitsToDouble(0x7ff8000000000001L)})).isFalse();
    assertThatThrownBy(() -> PackedArrays.encodeFloats(new double[] {-0.1}))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
