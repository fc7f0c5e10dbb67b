package io.tracegate.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tracegate.store.SpanQuery.Order;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class SpanCursorTest {

  @Test
  void roundTripsAsUrlSafeTextWithItsOrder() {
    SpanCursor cursor = new SpanCursor(1_700_000_000_123_456_789L, "00f067aa0ba902b7", Order.ASC);
    String text = cursor.encode();
    assertThat(text).matches("[A-Za-z0-9_-]+");
    assertThat(SpanCursor.decode(text)).isEqualTo(cursor);
    SpanCursor odd = new SpanCursor(-1, "\u00e9?/+=", Order.DESC);
    assertThat(SpanCursor.decode(odd.encode())).isEqualTo(odd);
    assertThat(new SpanCursor(5, "a", Order.DESC).encode()).isNotEqualTo(new SpanCursor(5, "a", Order.ASC).encode());
  }

  @Test
  void readsTheFirstVersionWithoutAnOrderAsOldestFirst() {
    byte[] id = "b7".getBytes(StandardCharsets.UTF_8);
    ByteBuffer v1 = ByteBuffer.allocate(1 + Long.BYTES + id.length).put((byte) 1).putLong(42).put(id);
    String text = Base64.getUrlEncoder().withoutPadding().encodeToString(v1.array());
    assertThat(SpanCursor.decode(text)).isEqualTo(new SpanCursor(42, "b7", Order.ASC));
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
    byte[] badOrder = ByteBuffer.allocate(2 + Long.BYTES + 1).put((byte) 2).put((byte) 7).putLong(1).put((byte) 'a')
        .array();
    assertThatThrownBy(() -> SpanCursor.decode(Base64.getUrlEncoder().withoutPadding().encodeToString(badOrder)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown order");
  }

  @Test
  void refusesToContinueTheOtherOrder() {
    SpanCursor asc = new SpanCursor(10, "b", Order.ASC);
    assertThat(asc.requireOrder(Order.ASC)).isSameAs(asc);
    assertThatThrownBy(() -> asc.requireOrder(Order.DESC))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("order=asc").hasMessageContaining("not order=desc");
    assertThatThrownBy(() -> new SpanQuery(null, null, null, null, 10, asc.encode(), Order.DESC))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("order=asc");
  }

  @Test
  void ordersLikeTheQueryInBothDirections() {
    SpanCursor c = new SpanCursor(10, "b", Order.ASC);
    assertThat(c.precedes(11, "a")).isTrue();
    assertThat(c.precedes(10, "c")).isTrue();
    assertThat(c.precedes(10, "b")).isFalse();
    assertThat(c.precedes(9, "z")).isFalse();
    SpanCursor d = new SpanCursor(10, "b", Order.DESC);
    assertThat(d.precedes(9, "z")).isTrue();
    assertThat(d.precedes(10, "a")).isTrue();
    assertThat(d.precedes(10, "b")).isFalse();
    assertThat(d.precedes(11, "a")).isFalse();
  }

  @Test
  void parsesTheOrderParameterOrSaysWhatIsAccepted() {
    assertThat(Order.parse("desc")).isEqualTo(Order.DESC);
    assertThat(Order.parse("ASC")).isEqualTo(Order.ASC);
    assertThatThrownBy(() -> Order.parse("newest"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("'order' must be asc (oldest first) or desc (newest first), got 'newest'");
  }
}
