package io.tracegate.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ThrottledLogTest {

  @Test
  void logsAtMostOncePerIntervalAndCountsTheRest() {
    AtomicLong now = new AtomicLong(1_000);
    ThrottledLog log = new ThrottledLog(System.getLogger("test.throttled"), 100, now::get);
    RuntimeException error = new RuntimeException("disk full");

    assertThat(log.warn("first", error)).isTrue();
    assertThat(log.warn("second", error)).isFalse();
    now.addAndGet(99);
    assertThat(log.warn("third", error)).isFalse();
    assertThat(log.suppressed()).isEqualTo(2);
    now.addAndGet(1);
    assertThat(log.warn("fourth", error)).isTrue();
    assertThat(log.suppressed()).isZero();
  }
}
