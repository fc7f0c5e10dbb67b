package io.tracegate.bench;

import io.tracegate.config.StoreConfig;
import io.tracegate.store.BatchingSpanWriter;
import io.tracegate.store.SequenceCounter;
import io.tracegate.store.SpanFixtures;
import io.tracegate.store.SpanStore;
import io.tracegate.store.SpanStores;
import io.tracegate.testing.TestPostgres;
import io.tracegate.trace.Span;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Issue 21's store figures (bench/README.md, "PostgreSQL store"): spans/s through the batching writer alone into
 * PostgreSQL (embedded, loopback) beside SQLite, and the cost of one sequence id from the database. Not a test;
 * run with bench/postgres-store.sh.
 */
public final class PostgresStoreBench {

  public static void main(String[] args) throws Exception {
    int spans = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
    StoreConfig pg = TestPostgres.newDatabase();
    Path file = Files.createTempDirectory("pg-bench").resolve("bench.db");
    for (int round = 1; round <= 2; round++) { // round 1 warms the JIT up
      try (SpanStore sqlite = SpanStores.open(StoreConfig.sqlite(file.toString()), false);
          SpanStore postgres = SpanStores.open(pg, false)) {
        System.out.printf(Locale.ROOT, "round %d: writer alone, %d spans (batch 512): sqlite %.0f spans/s,"
            + " postgres %.0f spans/s%n", round, spans, write(sqlite, spans, "s" + round), write(postgres, spans,
            "p" + round));
        SequenceCounter counter = postgres.sharedSequences().orElseThrow();
        int n = 3000;
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
          counter.next("seq-" + round);
        }
        double serialMicros = (System.nanoTime() - t0) / 1e3 / n;
        System.out.printf(Locale.ROOT, "round %d: sequence id, one caller: %.0f us each (%.0f/s)%n", round,
            serialMicros, 1e6 / serialMicros);
        for (boolean oneRollout : new boolean[] {true, false}) {
          ExecutorService pool = Executors.newFixedThreadPool(16);
          List<Future<?>> done = new ArrayList<>();
          long t1 = System.nanoTime();
          for (int w = 0; w < 16; w++) {
            String rollout = oneRollout ? "hot-" + round : "r-" + round + "-" + w;
            done.add(pool.submit(() -> {
              for (int i = 0; i < 500; i++) {
                counter.next(rollout);
              }
            }));
          }
          for (Future<?> f : done) {
            f.get();
          }
          double perSecond = 16 * 500 / ((System.nanoTime() - t1) / 1e9);
          pool.shutdown();
          System.out.printf(Locale.ROOT, "round %d: sequence ids, 16 callers on %s: %.0f/s%n", round,
              oneRollout ? "one rollout" : "16 rollouts", perSecond);
        }
      }
    }
    System.exit(0);
  }

  /** Spans/s from the first submit until the writer has written all of them. */
  private static double write(SpanStore store, int count, String prefix) throws Exception {
    List<Span> batch = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      batch.add(SpanFixtures.full(String.format(Locale.ROOT, "%s-%012d", prefix, i)));
    }
    BatchingSpanWriter writer = BatchingSpanWriter.start(store, 512, count + 1, Duration.ofMillis(50));
    long t0 = System.nanoTime();
    for (Span s : batch) {
      writer.submit(() -> s);
    }
    writer.flush().get(10, TimeUnit.MINUTES);
    double perSecond = count / ((System.nanoTime() - t0) / 1e9);
    writer.close();
    return perSecond;
  }
}
