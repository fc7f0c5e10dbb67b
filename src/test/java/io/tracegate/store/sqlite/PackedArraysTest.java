package io.tracegate.store.sqlite;

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
}
