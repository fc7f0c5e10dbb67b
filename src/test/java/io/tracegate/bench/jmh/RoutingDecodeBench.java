package io.tracegate.bench.jmh;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tracegate.config.BackendConfig;
import io.tracegate.protocol.openai.RequestPeek;
import io.tracegate.upstream.RequestRewriter;
import java.io.IOException;
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
 * Request-path decode: what the gateway reads from every request body before routing it
 * ({@link RequestPeek#parse}, one streaming pass over the top level), and the byte splice that rewrites an
 * OpenAI body for the backend ({@link RequestRewriter#forOpenAiBackend}). Baselines: a full Jackson
 * {@code readTree} + {@code writeValueAsBytes} of the same body, i.e. what a tree-based proxy pays.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class RoutingDecodeBench {
  private byte[] chat;
  private byte[] chatStream;
  private byte[] claudeCode;
  private RequestPeek chatStreamPeek;
  private BackendConfig vllm;

  @Setup
  public void setup() {
    chat = BenchData.chatBody();
    chatStream = BenchData.chatStreamBodyWithoutUsage();
    claudeCode = BenchData.claudeCodeBody();
    chatStreamPeek = RequestPeek.parse(chatStream);
    vllm = BenchData.vllmBackend(true);
    RequestRewriter.Rewritten r = rewrite();
    if (!r.usageInjected() || !r.tokenIdsInjected() || !r.logprobsInjected()) {
      throw new IllegalStateException("rewrite did not inject usage + capture fields");
    }
  }

  /** RequestPeek on the harness's 1.8 KB chat body. */
  @Benchmark
  public RequestPeek peekChat2k() {
    return RequestPeek.parse(chat);
  }

  /** RequestPeek on the 86 KB Claude Code request (its nested values are skipped, not materialised). */
  @Benchmark
  public RequestPeek peekClaudeCode86k() {
    return RequestPeek.parse(claudeCode);
  }

  /** Splice only (peek done): rename model, inject stream_options.include_usage, return_token_ids, logprobs. */
  @Benchmark
  public RequestRewriter.Rewritten rewriteChat2k() {
    return rewrite();
  }

  /** The whole request-path decode of a stream body: peek + splice. */
  @Benchmark
  public RequestRewriter.Rewritten peekAndRewriteChat2k() {
    return RequestRewriter.forOpenAiBackend(chatStream, RequestPeek.parse(chatStream), "Qwen/Qwen3-8B", vllm,
        false);
  }

  /** Baseline: the same four edits on a Jackson tree (readTree, edit, writeValueAsBytes). */
  @Benchmark
  public byte[] treeRewriteChat2k() throws IOException {
    ObjectNode root = (ObjectNode) BenchData.JSON.readTree(chatStream);
    root.put("model", "Qwen/Qwen3-8B");
    root.putObject("stream_options").put("include_usage", true);
    root.put("return_token_ids", true);
    root.put("logprobs", true);
    return BenchData.JSON.writeValueAsBytes(root);
  }

  /** Baseline: readTree + writeValueAsBytes of the 1.8 KB chat body. */
  @Benchmark
  public byte[] treeRoundTripChat2k() throws IOException {
    JsonNode root = BenchData.JSON.readTree(chat);
    return BenchData.JSON.writeValueAsBytes(root);
  }

  /** Baseline: readTree + writeValueAsBytes of the 86 KB Claude Code body. */
  @Benchmark
  public byte[] treeRoundTripClaudeCode86k() throws IOException {
    JsonNode root = BenchData.JSON.readTree(claudeCode);
    return BenchData.JSON.writeValueAsBytes(root);
  }

  private RequestRewriter.Rewritten rewrite() {
    return RequestRewriter.forOpenAiBackend(chatStream, chatStreamPeek, "Qwen/Qwen3-8B", vllm, false);
  }
}
