package io.tracegate.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SpanCursorTest {

  @Test
  void roundTripsAsUrlSafeText() {
    SpanCursor cursor = new SpanCursor(1_700_000_000_123_456_789L, "00f067aa0ba902b7");
    String text = cursor.encode();
    assertThat(text).matches("[A-Za-z0-9_-]+");
    assertThat(SpanCursor.decode(text)).isEqualTo(cursor);
    SpanCursor odd = new SpanCursor(-1, "\u00e9?/+=");
    assertThat(SpanCursor.decode(odd.encode())).isEqualTo(odd);
  }

  @Test
  void rejectsTextItDidNotProduce() {
    assertThatThrownBy(() -> SpanCursor.decode("%%%"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("malformed cursor '%%%'").hasMessageContaining("base64");
    assertThatThrownBy(() -> SpanCursor.decode(""))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("too short");
    assertThatThrownBy(() -> SpanCursor.decode("x".repeat(500)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("malformed cursor")
        .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(200));
  }

  @Test
  void ordersLikeTheQuery() {
    SpanCursor c = new SpanCursor(10, "b");
    assertThat(c.precedes(11, "a")).isTrue();
    assertThat(c.precedes(10, "c")).isTrue();
    assertThat(c.precedes(10, "b")).isFalse();
    assertThat(c.precedes(9, "z")).isFalse();
  }
}
