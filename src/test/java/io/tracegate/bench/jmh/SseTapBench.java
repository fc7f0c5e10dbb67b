package io.tracegate.bench.jmh;

import com.fasterxml.jackson.databind.JsonNode;
import io.tracegate.protocol.openai.CaptureFields;
import io.tracegate.protocol.openai.UsageChunk;
import io.tracegate.protocol.sse.SseEvents;
import io.tracegate.protocol.sse.SseFrameSplitter;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The SSE tap of the OpenAI pass-through lane, per 20-chunk stream (divide by 20 for a chunk): network
 * buffers through a fresh {@link SseFrameSplitter} (one per stream, as in StreamRelay), and per frame what
 * OpenAiPassThroughLane's frame handler does: {@link SseEvents#data}, {@link SseEvents#isDone},
 * {@link UsageChunk#isUsageOnly}. {@code stripCapture20} is the extra per-chunk work when the gateway
 * injected vLLM capture fields the client did not ask for ({@link CaptureFields#strip}: tree round trip).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class SseTapBench {

  /** "event": one network buffer per SSE event; "mixed": fixed-size cuts across event bounds. */
  @Param({"event", "mixed"})
  public String split;

  private List<byte[]> buffers;
  private List<byte[]> captureBuffers;
  private List<byte[]> capturePayloads;

  @Setup
  public void setup() {
    buffers = BenchData.networkBuffers(BenchData.sseStream(BenchData.openAiChunks(false)), split);
    List<byte[]> capture = BenchData.openAiChunks(true);
    captureBuffers = BenchData.networkBuffers(BenchData.sseStream(capture), split);
    capturePayloads = capture;
    int[] counts = new int[2];
    tap(buffers, new Blackhole(
        "Today's password is swordfish. I understand instantiating Blackholes directly is dangerous."), counts);
    if (counts[0] != BenchData.STREAM_CHUNKS + 1 || counts[1] != 1) {
      throw new IllegalStateException("frames " + counts[0] + ", usage-only " + counts[1]);
    }
  }

  /** Splitter + data + isDone + isUsageOnly over a plain OpenAI stream (the usage chunk is recognised). */
  @Benchmark
  public void tapOpenAi20(Blackhole bh) {
    tap(buffers, bh, null);
  }

  /** The same tap over a vLLM stream with token ids and logprobs (bigger frames, 450 prompt ids up front). */
  @Benchmark
  public void tapVllmCapture20(Blackhole bh) {
    tap(captureBuffers, bh, null);
  }

  /** CaptureFields.strip(data, true, true) on each of the 20 vLLM payloads (what the client gets instead). */
  @Benchmark
  public void stripCapture20(Blackhole bh) {
    for (byte[] data : capturePayloads) {
      bh.consume(CaptureFields.strip(data, true, true));
    }
  }

  /** Baseline: the tap with a Jackson readTree per frame instead of the streaming usage check. */
  @Benchmark
  public void tapTreeParse20(Blackhole bh) throws IOException {
    SseFrameSplitter splitter = new SseFrameSplitter();
    for (byte[] b : buffers) {
      splitter.feed(b, 0, b.length, frame -> {
        byte[] data = SseEvents.data(frame);
        if (data == null || SseEvents.isDoneData(data)) {
          bh.consume(frame);
          return;
        }
        try {
          JsonNode chunk = BenchData.JSON.readTree(data);
          bh.consume(UsageChunk.isUsageOnly(chunk));
        } catch (IOException e) {
          throw new IllegalStateException(e);
        }
      });
    }
    bh.consume(splitter.finish());
  }

  private static void tap(List<byte[]> stream, Blackhole bh, int[] counts) {
    SseFrameSplitter splitter = new SseFrameSplitter();
    for (byte[] b : stream) {
      splitter.feed(b, 0, b.length, frame -> {
        if (counts != null) {
          counts[0]++;
        }
        byte[] data = SseEvents.data(frame);
        if (data == null || SseEvents.isDoneData(data)) {
          bh.consume(frame);
          return;
        }
        bh.consume(data);
        boolean usageOnly = UsageChunk.isUsageOnly(data);
        if (counts != null && usageOnly) {
          counts[1]++;
        }
        bh.consume(usageOnly);
      });
    }
    bh.consume(splitter.finish());
  }
}
