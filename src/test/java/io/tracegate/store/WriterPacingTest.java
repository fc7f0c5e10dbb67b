package io.tracegate.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class WriterPacingTest {

  private static final long SLICE = 100;

  private final AtomicInteger backlog = new AtomicInteger();
  private final AtomicLong clock = new AtomicLong(1_000);
  private final AtomicInteger yields = new AtomicInteger();

  private WriterPacing pacing(int busyBacklog) {
    return new WriterPacing(SLICE, backlog::get, busyBacklog, clock::get, yields::incrementAndGet);
  }

  @Test
  void offersTheCpuOncePerSliceOfWorkWhileTheBacklogIsShort() {
    WriterPacing pacing = pacing(100);
    backlog.set(99);

    for (int step = 1; step <= 12; step++) {
      clock.addAndGet(30); // one unit of work
      pacing.run();
      assertThat(yields.get()).as("after %d us", step * 30).isEqualTo(step * 30 / 120);
    }
  }

  @Test
  void aLongUnitYieldsRightAfterItAndTheSliceRestartsAfterTheYield() {
    WriterPacing pacing = pacing(100);
    clock.addAndGet(5 * SLICE); // one big span
    pacing.run();
    assertThat(yields.get()).isEqualTo(1);

    clock.addAndGet(SLICE - 1);
    pacing.run();
    assertThat(yields.get()).isEqualTo(1);
    clock.addAndGet(1);
    pacing.run();
    assertThat(yields.get()).isEqualTo(2);
  }

  @Test
  void keepsTheCpuWhileTheBacklogIsAtOrAboveTheBusyMark() {
    WriterPacing pacing = pacing(100);
    backlog.set(100);
    for (int i = 0; i < 10; i++) {
      clock.addAndGet(SLICE);
      pacing.run();
    }
    assertThat(yields.get()).isZero();

    backlog.set(3); // caught up: offers again after the next slice of work
    clock.addAndGet(SLICE / 2);
    pacing.run();
    assertThat(yields.get()).isZero();
    clock.addAndGet(SLICE / 2);
    pacing.run();
    assertThat(yields.get()).isEqualTo(1);
  }

  @Test
  void rejectsNonPositiveSettings() {
    assertThatThrownBy(() -> new WriterPacing(0, backlog::get, 1, clock::get, () -> {}))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new WriterPacing(1, backlog::get, 0, clock::get, () -> {}))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
