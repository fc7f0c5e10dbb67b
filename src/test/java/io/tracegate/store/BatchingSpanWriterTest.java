package io.tracegate.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tracegate.config.StoreConfig;
import io.tracegate.trace.Span;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(20)
class BatchingSpanWriterTest {

  private static final Duration LONG = Duration.ofHours(1);

  private final AtomicLong ids = new AtomicLong();
  private final ControlledStore store = new ControlledStore();
  private BatchingSpanWriter writer;

  @AfterEach
  void closeWriter() {
    if (writer != null) {
      writer.close();
    }
  }

  @Test
  void flushPersistsEverythingAcceptedWithoutWaitingForTheIntervalAndBuildsOnTheWriterThread() throws Exception {
    writer = BatchingSpanWriter.start(store, 16, 10_000, LONG);
    Set<String> builderThreads = ConcurrentHashMap.newKeySet();
    for (int i = 0; i < 100; i++) {
      assertThat(writer.submit(() -> {
        builderThreads.add(Thread.currentThread().getName());
        return nextSpan();
      })).isTrue();
    }
    writer.flush().get(5, TimeUnit.SECONDS);

    assertThat(store.stored()).isEqualTo(100);
    assertThat(builderThreads).containsExactly(BatchingSpanWriter.THREAD_NAME);
    assertThat(store.batchSizes()).allSatisfy(size -> assertThat(size).isBetween(1, 16));
    assertThat(writer.stats()).isEqualTo(new WriterStats(100, 100, 0, 0, 0));
    assertThat(store.pacingHooks.get()).as("every append went through the paced path")
        .isEqualTo(store.batchSizes().size());
  }

  @Test
  void writesAPartialBatchOnceTheFlushIntervalHasPassed() throws Exception {
    writer = BatchingSpanWriter.start(store, 1000, 10_000, Duration.ofMillis(20));
    for (int i = 0; i < 3; i++) {
      writer.submit(this::nextSpan);
    }
    assertThat(store.awaitStored(3, 5_000)).as("written without flush or close").isTrue();
    writer.flush().get(5, TimeUnit.SECONDS); // only so the counter read below is settled
    assertThat(writer.stats().persisted()).isEqualTo(3);
  }

  @Test
  void usesTheStoreConfigSettings() throws Exception {
    StoreConfig config = new StoreConfig(StoreConfig.Kind.MEMORY, null, 7, 100, LONG);
    writer = BatchingSpanWriter.start(store, config);
    for (int i = 0; i < 30; i++) {
      writer.submit(this::nextSpan);
    }
    writer.flush().get(5, TimeUnit.SECONDS);
    assertThat(store.batchSizes()).allSatisfy(size -> assertThat(size).isLessThanOrEqualTo(7));
    assertThat(store.stored()).isEqualTo(30);
  }

  @Test
  void closeWritesEverythingAcceptedThenRejectsNewSpans() throws Exception {
    writer = BatchingSpanWriter.start(store, 64, 20_000, LONG);
    for (int i = 0; i < 10_000; i++) {
      assertThat(writer.submit(this::nextSpan)).isTrue();
    }
    writer.close();

    assertThat(store.stored()).isEqualTo(10_000);
    assertThat(writer.submit(this::nextSpan)).isFalse();
    assertThat(writer.stats()).isEqualTo(new WriterStats(10_000, 10_000, 0, 1, 0));
    assertThat(writer.flush()).succeedsWithin(Duration.ofSeconds(1));
    writer.close();
  }

  @Test
  void storeFailuresAreCountedNeverThrownAndTheWriterKeepsGoing() throws Exception {
    writer = BatchingSpanWriter.start(store, 5, 100, LONG);
    store.failuresLeft.set(2);
    for (int round = 0; round < 3; round++) {
      for (int i = 0; i < 5; i++) {
        assertThat(writer.submit(this::nextSpan)).isTrue();
      }
      assertThat(writer.flush()).succeedsWithin(Duration.ofSeconds(5));
    }

    assertThat(writer.stats()).isEqualTo(new WriterStats(15, 5, 10, 0, 0));
    assertThat(store.stored()).isEqualTo(5);
  }

  @Test
  void healthSaysWritesAreFailingUntilAWriteSucceedsAgain() throws Exception {
    writer = BatchingSpanWriter.start(store, 5, 100, LONG);
    assertThat(writer.health()).isEqualTo(new WriterHealth(0, 100, 0, 0, 0, null, 0));
    store.failuresLeft.set(2);
    for (int round = 0; round < 2; round++) {
      for (int i = 0; i < 5; i++) {
        writer.submit(this::nextSpan);
      }
      writer.flush().get(5, TimeUnit.SECONDS);
    }
    WriterHealth failing = writer.health();
    assertThat(failing.writesFailing()).isTrue();
    assertThat(failing.failingWrites()).isEqualTo(2);
    assertThat(failing.failingSpans()).isEqualTo(10);
    assertThat(failing.failedWrites()).isEqualTo(2);
    assertThat(failing.lastError()).isEqualTo("simulated disk full");
    assertThat(failing.lastFailureUnixMillis()).isPositive();

    writer.submit(this::nextSpan);
    writer.flush().get(5, TimeUnit.SECONDS);
    WriterHealth recovered = writer.health();
    assertThat(recovered.writesFailing()).isFalse();
    assertThat(recovered.failedWrites()).isEqualTo(2);
    assertThat(recovered.lastError()).as("kept for the record").isEqualTo("simulated disk full");
  }

  @Test
  void healthSaysTheQueueIsNearlyFullAboveNinetyPercent() throws Exception {
    store.closeGate();
    writer = BatchingSpanWriter.start(store, 1, 10, LONG);
    writer.submit(this::nextSpan);
    assertThat(store.entered.await(5, TimeUnit.SECONDS)).as("writer is stuck in the store").isTrue();
    for (int i = 0; i < 9; i++) {
      writer.submit(this::nextSpan);
    }
    assertThat(writer.health().queueDepth()).isEqualTo(9);
    assertThat(writer.health().queueNearlyFull()).as("90% is not over 90%").isFalse();
    writer.submit(this::nextSpan);
    assertThat(writer.health().queueNearlyFull()).isTrue();
    store.open();
    writer.flush().get(5, TimeUnit.SECONDS);
    assertThat(writer.health().queueNearlyFull()).isFalse();
  }

  @Test
  void aFullQueueDropsAndCountsWithoutBlocking() throws Exception {
    store.closeGate();
    writer = BatchingSpanWriter.start(store, 1, 3, LONG);
    assertThat(writer.submit(this::nextSpan)).isTrue();
    assertThat(store.entered.await(5, TimeUnit.SECONDS)).as("writer is stuck in the store").isTrue();
    for (int i = 0; i < 3; i++) {
      assertThat(writer.submit(this::nextSpan)).isTrue();
    }
    assertThat(writer.submit(this::nextSpan)).isFalse();
    assertThat(writer.submit(this::nextSpan)).isFalse();
    assertThat(writer.stats()).isEqualTo(new WriterStats(4, 0, 0, 2, 3));

    store.open();
    writer.flush().get(5, TimeUnit.SECONDS);
    assertThat(writer.stats()).isEqualTo(new WriterStats(4, 4, 0, 2, 0));
    assertThat(writer.submit(this::nextSpan)).as("room again").isTrue();
  }

  @Test
  void aThrowingOrNullSupplierIsCountedAndTheRestOfTheBatchIsWritten() throws Exception {
    writer = BatchingSpanWriter.start(store, 10, 100, LONG);
    writer.submit(this::nextSpan);
    writer.submit(() -> {
      throw new IllegalStateException("recorder bug");
    });
    writer.submit(() -> null);
    writer.submit(this::nextSpan);
    writer.flush().get(5, TimeUnit.SECONDS);
    assertThat(writer.stats()).isEqualTo(new WriterStats(4, 2, 2, 0, 0));

    writer.submit(() -> {
      throw new OutOfMemoryError("simulated");
    });
    writer.submit(this::nextSpan);
    writer.flush().get(5, TimeUnit.SECONDS);
    assertThat(writer.stats()).isEqualTo(new WriterStats(6, 3, 3, 0, 0));
    assertThat(store.stored()).isEqualTo(3);
  }

  @Test
  void everySubmittedSpanIsPersistedOrDroppedWhenCloseRacesSubmitters() throws Exception {
    writer = BatchingSpanWriter.start(store, 32, 1_000_000, Duration.ofMillis(1));
    int threads = 4;
    int perThread = 5_000;
    AtomicLong submittedTrue = new AtomicLong();
    CountDownLatch halfway = new CountDownLatch(threads);
    List<Thread> submitters = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Thread th = new Thread(() -> {
        for (int i = 0; i < perThread; i++) {
          if (writer.submit(this::nextSpan)) {
            submittedTrue.incrementAndGet();
          }
          if (i == perThread / 2) {
            halfway.countDown();
          }
        }
      });
      th.start();
      submitters.add(th);
    }
    halfway.await();
    writer.close();
    for (Thread th : submitters) {
      th.join();
    }

    WriterStats stats = writer.stats();
    assertThat(stats.accepted()).isEqualTo(submittedTrue.get()).isGreaterThan(0);
    assertThat(stats.accepted() + stats.dropped()).isEqualTo((long) threads * perThread);
    assertThat(stats.persisted()).isEqualTo(stats.accepted());
    assertThat(store.stored()).isEqualTo(stats.accepted());
    assertThat(stats.queueDepth()).isZero();
  }

  @Test
  void rejectsNonsenseSettings() {
    assertThatThrownBy(() -> BatchingSpanWriter.start(store, 0, 10, LONG))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("batchSize");
    assertThatThrownBy(() -> BatchingSpanWriter.start(store, 1, 10, Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private Span nextSpan() {
    long n = ids.incrementAndGet();
    return SpanFixtures.span("w" + n, "r", "a", n, Span.KIND_LLM, n, n + 1, Span.STATUS_OK, 1L, 1L, null);
  }
}
