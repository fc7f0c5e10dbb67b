package io.tracegate.bench.jmh;

import io.tracegate.config.ModelPrice;
import io.tracegate.config.PriceTable;
import io.tracegate.protocol.openai.RequestPeek;
import io.tracegate.protocol.translate.AnthropicToOpenAiRequest;
import io.tracegate.trace.CostCalculator;
import io.tracegate.trace.Exchange;
import io.tracegate.trace.Recorder;
import io.tracegate.trace.Span;
import io.tracegate.upstream.RequestRewriter;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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
 * {@link Recorder#build}: the writer-thread work that turns one finished {@link Exchange} into its span
 * (parse request, upstream request and response; assemble a stream; translate; usage, cost, attributes).
 * The exchanges are filled in setup the way the lanes fill them; {@code build} does not mutate them.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class SpanBuildBench {
  private Recorder recorder;
  private Exchange nonStream;
  private Exchange stream;
  private Exchange captureStream;
  private Exchange translatedStream;

  @Setup
  public void setup() throws IOException {
    recorder = new Recorder(new CostCalculator(PriceTable.of(Map.of(
        "gpt-4o-mini*", new ModelPrice(0.15, 0.60, 0.075, null, null),
        "Qwen/Qwen3-8B", new ModelPrice(0.05, 0.25, null, null, null)))));

    // OpenAI client, OpenAI backend, non-stream: 1.8 KB request sent unchanged, ~1 KB answer
    byte[] chat = BenchData.chatBody();
    nonStream = new Exchange(null, null, "ro-1", "at-1", "openai", "/v1/chat/completions", 1L, chat);
    nonStream.sequenceId(1L);
    nonStream.requested(RequestPeek.parse(chat)); // as ProxyHandler does: the peek's members come along
    nonStream.routed("openai", "openai", "gpt-4o-mini", "https://api.openai.com/v1", "openai");
    nonStream.upstreamRequest(null, false);
    nonStream.upstreamStatus(200);
    nonStream.upstreamBody(BenchData.chatResponse());
    nonStream.end(200, Span.STATUS_OK, null, null);

    // OpenAI client, OpenAI backend, stream of 20 chunks, include_usage injected by the gateway
    stream = openAiStream(BenchData.vllmBackend(false), false);
    // the same against vLLM with token ids + logprobs captured and hidden from the client
    captureStream = openAiStream(BenchData.vllmBackend(true), true);

    // Anthropic client (2 KB Messages stream body), OpenAI backend: 20 OpenAI chunks recorded
    byte[] messages = BenchData.messagesStreamBody();
    translatedStream = new Exchange(null, null, "ro-1", "at-1", "anthropic", "/v1/messages", 1L, messages);
    translatedStream.sequenceId(3L);
    translatedStream.requested(RequestPeek.parse(messages));
    translatedStream.routed("openai", "openai", "gpt-4o-mini", "https://api.openai.com/v1", "openai");
    AnthropicToOpenAiRequest.Result tr =
        AnthropicToOpenAiRequest.translate(BenchData.JSON.readTree(messages), "gpt-4o-mini");
    translatedStream.upstreamRequest(BenchData.JSON.writeValueAsBytes(tr.request()), true);
    translatedStream.upstreamStatus(200);
    for (byte[] data : BenchData.openAiChunks(false)) {
      translatedStream.upstreamData(data);
    }
    translatedStream.end(200, Span.STATUS_OK, null, null);
    if (!translatedStream.translated()) {
      throw new IllegalStateException("not a translated exchange");
    }
    checkSpans();
  }

  private static Exchange openAiStream(io.tracegate.config.BackendConfig backend, boolean capture) {
    byte[] body = BenchData.chatStreamBodyWithoutUsage();
    Exchange e = new Exchange(null, null, "ro-1", "at-1", "openai", "/v1/chat/completions", 1L, body);
    e.sequenceId(2L);
    e.requested(RequestPeek.parse(body));
    e.routed("openai", backend.name(), backend.model(), backend.baseUrl(), "openai");
    RequestRewriter.Rewritten r =
        RequestRewriter.forOpenAiBackend(body, RequestPeek.parse(body), backend.model(), backend, false);
    e.upstreamRequest(r.body(), r.usageInjected());
    e.hiddenFromClient(r.tokenIdsInjected(), r.logprobsInjected());
    e.upstreamStatus(200);
    for (byte[] data : BenchData.openAiChunks(capture)) {
      e.upstreamData(data);
    }
    e.end(200, Span.STATUS_OK, null, null);
    return e;
  }

  private void checkSpans() {
    for (Exchange e : List.of(nonStream, stream, captureStream, translatedStream)) {
      Span s = recorder.build(e);
      if (s.usage() == null || s.usage().outputTokens() == null || s.response() == null || s.costUsd() == null) {
        throw new IllegalStateException("incomplete span for " + e.endpoint() + ": " + s);
      }
    }
    if (recorder.build(captureStream).responseTokenIds() == null) {
      throw new IllegalStateException("capture stream recorded no token ids");
    }
  }

  /** Non-stream chat: parse 1.8 KB request + ~1 KB response, usage, cost, attributes. */
  @Benchmark
  public Span nonStream() {
    return recorder.build(nonStream);
  }

  /** Stream chat: parse request + spliced upstream request, parse and assemble 20 chunks. */
  @Benchmark
  public Span stream20() {
    return recorder.build(stream);
  }

  /** Stream chat from vLLM with token ids + logprobs: also collects them and strips a client-view copy. */
  @Benchmark
  public Span streamCapture20() {
    return recorder.build(captureStream);
  }

  /** Anthropic client over an OpenAI backend: assemble 20 OpenAI chunks, translate the whole answer back. */
  @Benchmark
  public Span translatedStream20() {
    return recorder.build(translatedStream);
  }
}
