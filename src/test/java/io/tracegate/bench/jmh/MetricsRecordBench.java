package io.tracegate.bench.jmh;

import io.tracegate.telemetry.Metrics;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What a proxied request pays on its event loop for /metrics: the three latency histograms recorded with their
 * labels resolved from the frontend model (exact name, a glob, an unknown name) and the backend label. Baseline:
 * the one {@code LongAdder} increment the hand-written metrics did per request. And the cost of a scrape.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"-Xms256m", "-Xmx256m"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class MetricsRecordBench {
  private Metrics metrics;
  private final LongAdder adder = new LongAdder();

  @Setup
  public void setUp() {
    metrics = new Metrics(List.of("mock-model", "gpt-4o-mini", "vllm-mock", "claude-*"),
        List.of("mock", "openai:http://127.0.0.1:8000/v1"));
  }

  @Benchmark
  public void recordExactModel() {
    metrics.requests().record("gpt-4o-mini", "mock", 200, 1_234_567, -1, 1_000_000);
  }

  @Benchmark
  public void recordGlobModelStream() {
    metrics.requests().record("claude-sonnet-4-5-20250929", "openai:http://127.0.0.1:8000/v1", 200, 1_234_567,
        456_789, 1_000_000);
  }

  @Benchmark
  public void recordUnknownModel() {
    metrics.requests().record("no-such-model", null, 404, 123_456, -1, -1);
  }

  @Benchmark
  public void baselineLongAdder() {
    adder.increment();
  }

  @Benchmark
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public String scrape() {
    return metrics.scrape();
  }
}
