package io.tracegate.trace;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SpanIdsTest {

  @Test
  void spanIdsAreSixteenHexDigitsAndGrowOneByOne() {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      ids.add(SpanIds.newSpanId());
    }
    assertThat(ids).allMatch(id -> id.matches("[0-9a-f]{16}") && !id.equals("0000000000000000"));
    for (int i = 1; i < ids.size(); i++) {
      long prev = Long.parseUnsignedLong(ids.get(i - 1), 16);
      long next = Long.parseUnsignedLong(ids.get(i), 16);
      // the counter may pass zero (skipped) once in 2^64 ids; otherwise it steps by one
      assertThat(next - prev).isIn(1L, 2L);
    }
  }

  @Test
  void concurrentCallersNeverShareASpanId() {
    Set<String> ids = ConcurrentHashMap.newKeySet();
    IntStream.range(0, 8).parallel().forEach(t -> {
      for (int i = 0; i < 10_000; i++) {
        ids.add(SpanIds.newSpanId());
      }
    });
    assertThat(ids).hasSize(80_000);
  }

  @Test
  void traceIdsAreRandomThirtyTwoHexDigits() {
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      ids.add(SpanIds.newTraceId());
    }
    assertThat(ids).hasSize(1000).allMatch(id -> id.matches("[0-9a-f]{32}") && !id.startsWith("0000000000000000"));
  }
}
