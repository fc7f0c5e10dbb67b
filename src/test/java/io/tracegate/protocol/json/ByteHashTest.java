package io.tracegate.protocol.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class ByteHashTest {

  @Test
  void equalBytesHashEquallyWhereverTheyLie() {
    Random random = new Random(7);
    for (int len : new int[] {0, 1, 7, 8, 31, 32, 33, 1024, 5000}) {
      byte[] piece = new byte[len];
      random.nextBytes(piece);
      byte[] a = new byte[len + 3];
      byte[] b = new byte[len + 11];
      System.arraycopy(piece, 0, a, 3, len);
      System.arraycopy(piece, 0, b, 11, len);
      assertThat(ByteHash.of(a, 3, 3 + len)).isEqualTo(ByteHash.of(b, 11, 11 + len))
          .isEqualTo(ByteHash.of(piece, 0, len));
      if (len > 0) {
        b[11 + len - 1] ^= 1;
        assertThat(ByteHash.of(b, 11, 11 + len)).isNotEqualTo(ByteHash.of(piece, 0, len));
      }
    }
  }
}
