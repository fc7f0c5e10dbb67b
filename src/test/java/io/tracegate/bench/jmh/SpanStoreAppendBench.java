package io.tracegate.bench.jmh;

import io.tracegate.config.ModelPrice;
import io.tracegate.config.PriceTable;
import io.tracegate.protocol.openai.RequestPeek;
import io.tracegate.store.sqlite.SqliteSpanStore;
import io.tracegate.trace.CostCalculator;
import io.tracegate.trace.Exchange;
import io.tracegate.trace.Recorder;
import io.tracegate.trace.Span;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The span writer's whole per-span cost on the default store: {@link Recorder#build} of a harness-shaped
 * non-stream exchange (1.8 KB request, ~1 KB answer, as the load harness sends them) plus
 * {@link SqliteSpanStore#append} in transactions of {@code batch} spans, into a real SQLite file that grows
 * through the run (WAL, auto-checkpoints and all). One op is one span.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class SpanStoreAppendBench {
  static final int SPANS_PER_INVOCATION = 512;

  @Param({"512", "64"})
  public int batch;

  private Path dir;
  private SqliteSpanStore store;
  private Recorder recorder;
  private byte[] request;
  private byte[] response;
  private RequestPeek peek;

  @Setup
  public void setup() throws IOException {
    dir = Files.createTempDirectory("tracegate-append-bench");
    store = SqliteSpanStore.open(dir.resolve("tracegate.db"));
    recorder = new Recorder(new CostCalculator(PriceTable.of(Map.of(
        "gpt-4o-mini*", new ModelPrice(0.15, 0.60, 0.075, null, null)))));
    request = BenchData.chatBody();
    response = BenchData.chatResponse();
    peek = RequestPeek.parse(request);
  }

  @TearDown
  public void tearDown() throws IOException {
    store.close();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.toList()) {
        Files.deleteIfExists(f);
      }
    }
    Files.deleteIfExists(dir);
  }

  @Benchmark
  @OperationsPerInvocation(SPANS_PER_INVOCATION)
  public int buildAndAppend() {
    List<Span> spans = new ArrayList<>(batch);
    for (int i = 0; i < SPANS_PER_INVOCATION; i++) {
      spans.add(recorder.build(exchange()));
      if (spans.size() == batch) {
        store.append(spans);
        spans.clear();
      }
    }
    if (!spans.isEmpty()) {
      store.append(spans);
    }
    return spans.size();
  }

  /** A finished exchange the way the OpenAI pass-through lane fills one (a fresh span id each time). */
  private Exchange exchange() {
    long now = System.currentTimeMillis() * 1_000_000L;
    Exchange e = new Exchange(null, null, null, null, "openai", "/v1/chat/completions", now, request);
    e.requested(peek); // as ProxyHandler does
    e.routed("openai", "openai", "gpt-4o-mini", "http://127.0.0.1:18081/v1", "openai");
    e.upstreamRequest(null, false);
    e.upstreamStatus(200);
    e.upstreamBody(response);
    e.end(200, Span.STATUS_OK, null, null);
    return e;
  }
}
