package io.tracegate.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracegate.dataset.RewardSpans;
import io.tracegate.store.BatchingSpanWriter;
import io.tracegate.store.SpanQuery;
import io.tracegate.store.sqlite.SqliteSpanStore;
import io.tracegate.trace.Span;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The per-rollout sequence map is bounded: rollouts beyond the bound are evicted, and one that comes back
 * continues from its highest stored id, read from a real SQLite file through the real batching writer (with a
 * flush interval long enough that spans are still queued when the rollout is evicted and reloaded).
 */
class SequenceEvictionTest {
  private static final int BOUND = 8;
  @TempDir Path dir;
  private Vertx vertx;
  private SqliteSpanStore store;
  private BatchingSpanWriter writer;
  private SequenceAllocator sequences;
  private Context context;
  private final Map<String, AtomicInteger> loads = new ConcurrentHashMap<>();

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    context = vertx.getOrCreateContext();
    store = SqliteSpanStore.open(dir.resolve("seq.db"));
    writer = BatchingSpanWriter.start(store, 512, 100_000, Duration.ofMillis(300));
    sequences = new SequenceAllocator(r -> {
      loads.computeIfAbsent(r, k -> new AtomicInteger()).incrementAndGet();
      return vertx.executeBlocking(() -> store.maxSequenceId(r), false);
    }, writer::flush, BOUND);
  }

  @AfterEach
  void stop() throws Exception {
    writer.close();
    store.close();
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  /** What a call does: takes an id, submits its span, releases the id. */
  private long call(String rollout) throws Exception {
    long seq = sequences.next(rollout, context).await(10, TimeUnit.SECONDS);
    assertThat(writer.submit(() -> RewardSpans.reward(rollout, "a", seq, "r", 1.0, null, System.nanoTime())))
        .isTrue();
    sequences.release(rollout);
    return seq;
  }

  @Test
  void anEvictedRolloutContinuesItsSequenceFromTheStore() throws Exception {
    for (int r = 0; r < 50; r++) {
      for (int i = 1; i <= 3; i++) {
        assertThat(call("r" + r)).isEqualTo(i);
      }
    }
    assertThat(sequences.trackedRollouts()).isLessThanOrEqualTo(BOUND);
    assertThat(sequences.evictedRollouts()).isGreaterThanOrEqualTo(50 - BOUND);

    // r0 was evicted long ago; its spans may still be queued in the writer (flush interval 300 ms)
    assertThat(loads.get("r0").get()).isEqualTo(1);
    assertThat(call("r0")).isEqualTo(4);
    assertThat(loads.get("r0").get()).as("reloaded").isEqualTo(2);
    assertThat(call("r1")).isEqualTo(4);
    writer.flush().get(10, TimeUnit.SECONDS);
    assertThat(store.maxSequenceId("r0")).isEqualTo(4);
  }

  @Test
  void aRolloutWithACallInFlightIsNeverEvicted() throws Exception {
    long held = sequences.next("long-stream", context).await(10, TimeUnit.SECONDS); // not released: still running
    for (int r = 0; r < 40; r++) {
      call("other" + r);
    }
    // the stream ends now; its span is submitted only after every other rollout was used
    writer.submit(() -> RewardSpans.reward("long-stream", "a", held, "r", 1.0, null, System.nanoTime()));
    sequences.release("long-stream");
    assertThat(call("long-stream")).isEqualTo(held + 1);
  }

  @Test
  void noDuplicateIdsWhenAReloadedRolloutIsCalledConcurrently() throws Exception {
    int threads = 8;
    int callsPerThread = 60;
    ConcurrentLinkedQueue<Long> ids = new ConcurrentLinkedQueue<>();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> running = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        running.add(pool.submit(() -> {
          for (int i = 0; i < callsPerThread; i++) {
            ids.add(call("hot"));
            // other rollouts push "hot" out of the map again and again while the others call it
            call("cold-" + thread + "-" + i);
          }
          return null;
        }));
      }
      for (Future<?> f : running) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(loads.get("hot").get()).as("times \"hot\" was read from the store").isGreaterThan(10);
    Set<Long> distinct = new HashSet<>(ids);
    assertThat(distinct).as("ids handed out").hasSize(threads * callsPerThread);
    writer.flush().get(10, TimeUnit.SECONDS);
    List<Span> stored = store.query(new SpanQuery("hot", null, null, null, 10_000, null)).spans();
    assertThat(stored).hasSize(threads * callsPerThread);
    assertThat(stored.stream().map(Span::sequenceId).distinct().count()).isEqualTo(threads * callsPerThread);
    assertThat(store.maxSequenceId("hot")).isEqualTo(threads * callsPerThread);
  }

  @Test
  void reloadWaitsOnlyAfterAnEviction() {
    CompletableFuture<Void> never = new CompletableFuture<>();
    SequenceAllocator blocked = new SequenceAllocator(r -> io.vertx.core.Future.succeededFuture(0L), () -> never, 2);
    assertThat(blocked.next("a", context).succeeded()).isTrue();
    blocked.release("a");
    assertThat(blocked.next("b", context).succeeded()).isTrue();
    blocked.release("b");
    blocked.next("c", context); // evicts "a": its spans must be written before "a" is read again
    assertThat(blocked.next("a", context).isComplete()).as("waits for the writer's flush").isFalse();
    never.complete(null);
  }
}
