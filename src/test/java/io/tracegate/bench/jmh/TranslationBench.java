package io.tracegate.bench.jmh;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tracegate.protocol.json.RawStringTree;
import io.tracegate.protocol.translate.AnthropicToOpenAiRequest;
import io.tracegate.protocol.translate.OpenAiToAnthropicResponse;
import io.tracegate.protocol.translate.OpenAiToAnthropicStream;
import io.tracegate.upstream.RequestRewriter;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * The Anthropic-client / OpenAI-backend lane (AnthropicToOpenAiLane), each step as the lane runs it:
 * request = readTree + {@link AnthropicToOpenAiRequest#translate} + applyCapture + writeValueAsBytes;
 * stream = per chunk readTree of the {@code data:} payload + {@link OpenAiToAnthropicStream#onChunk}, then
 * {@code finish}; non-stream answer = readTree + {@link OpenAiToAnthropicResponse#translate} + serialise.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class TranslationBench {
  private byte[] claudeCode;
  private byte[] messages;
  private List<byte[]> chunks;
  private List<JsonNode> parsedChunks;
  private byte[] response;
  private io.tracegate.config.BackendConfig vllm;

  @Setup
  public void setup() throws IOException {
    claudeCode = BenchData.claudeCodeBody();
    messages = BenchData.messagesStreamBody();
    chunks = BenchData.openAiChunks(false);
    parsedChunks = new ArrayList<>();
    for (byte[] c : chunks) {
      parsedChunks.add(BenchData.JSON.readTree(c));
    }
    response = BenchData.chatResponse();
    vllm = BenchData.vllmBackend(true);
  }

  /** The 86 KB Claude Code request: parse + translate + capture options + serialise. */
  @Benchmark
  public byte[] requestClaudeCode86k() throws IOException {
    return translateRequest(claudeCode);
  }

  /** Baseline for the above: a plain readTree and writeValueAsBytes, every string decoded and escaped again. */
  @Benchmark
  public byte[] requestClaudeCode86kPlainTree() throws IOException {
    AnthropicToOpenAiRequest.Result r = AnthropicToOpenAiRequest.translate(BenchData.JSON.readTree(claudeCode), "Qwen/Qwen3-8B");
    ObjectNode request = r.request();
    RequestRewriter.applyCapture(request, vllm, false);
    return BenchData.JSON.writeValueAsBytes(request);
  }

  /** The harness's 2 KB Messages stream request, same steps. */
  @Benchmark
  public byte[] requestMessages2k() throws IOException {
    return translateRequest(messages);
  }

  /** OpenAI stream to Anthropic events: 20 chunks parsed and translated, then finish (lane's per-stream work). */
  @Benchmark
  public void stream20(Blackhole bh) throws IOException {
    OpenAiToAnthropicStream t = new OpenAiToAnthropicStream("claude-sonnet-4-5-20250929");
    for (byte[] c : chunks) {
      bh.consume(t.onChunk(BenchData.JSON.readTree(c)));
    }
    bh.consume(t.finish());
  }

  /** As {@link #stream20} with the chunks already parsed: the translator's own share. */
  @Benchmark
  public void stream20PreParsed(Blackhole bh) {
    OpenAiToAnthropicStream t = new OpenAiToAnthropicStream("claude-sonnet-4-5-20250929");
    for (JsonNode c : parsedChunks) {
      bh.consume(t.onChunk(c));
    }
    bh.consume(t.finish());
  }

  /** Non-stream ~1 KB chat.completion to an Anthropic Message: parse + translate + serialise. */
  @Benchmark
  public byte[] response1k() throws IOException {
    ObjectNode message =
        OpenAiToAnthropicResponse.translate(BenchData.JSON.readTree(response), "claude-sonnet-4-5-20250929");
    return BenchData.JSON.writeValueAsBytes(message);
  }

  /** As the lane does it: long strings keep their source bytes and are copied into the translated body. */
  private byte[] translateRequest(byte[] body) throws IOException {
    RawStringTree parsed = RawStringTree.read(body);
    AnthropicToOpenAiRequest.Result r = AnthropicToOpenAiRequest.translate(parsed.tree(), "Qwen/Qwen3-8B");
    ObjectNode request = r.request();
    RequestRewriter.applyCapture(request, vllm, false);
    return parsed.write(request);
  }
}
