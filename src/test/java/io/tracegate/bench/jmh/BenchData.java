package io.tracegate.bench.jmh;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracegate.config.BackendConfig;
import io.tracegate.config.Capture;
import io.tracegate.config.Provider;
import io.tracegate.config.SecretRef;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Inputs shared by the JMH benchmarks: the ~2 KB bodies the load harness sends (copied from
 * /work/shared/bench/bodies into src/test/resources/bench), the ~86 KB Claude Code request fixture, and
 * OpenAI chat streams shaped like the harness's mock upstream (and like api.openai.com): one role chunk,
 * 17 content chunks, one finish chunk, one usage chunk (20 {@code data:} payloads), then {@code [DONE]}.
 */
final class BenchData {
  static final ObjectMapper JSON = new ObjectMapper();

  /** Number of {@code data:} JSON payloads in a generated stream ([DONE] not counted). */
  static final int STREAM_CHUNKS = 20;

  private static final String ID = "chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT";
  private static final String MODEL = "gpt-4o-mini-2024-07-18";
  private static final long CREATED = 1_763_790_000L;

  /** The answer text, cut into 17 token-sized pieces for the content chunks. */
  private static final String[] PIECES = {
    "Pin", " the", " load", " generator", " and", " the", " mock", " to", " one", " core", " and", " the",
    " gateway", " to", " the", " other", "."
  };

  private BenchData() {}

  static byte[] resource(String path) {
    try (InputStream in = BenchData.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource " + path);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The harness's non-stream chat body (1.8 KB). */
  static byte[] chatBody() {
    return resource("/bench/chat.json");
  }

  /**
   * The harness's stream chat body (1.9 KB) without its {@code stream_options}: what an SDK sends when the
   * caller did not ask for usage, so the gateway has to inject {@code include_usage}.
   */
  static byte[] chatStreamBodyWithoutUsage() {
    String s = new String(resource("/bench/chat-stream.json"), StandardCharsets.UTF_8);
    String cut = s.replace(", \"stream_options\": {\"include_usage\": true}", "");
    if (cut.equals(s) || cut.contains("\"stream_options\"")) {
      throw new IllegalStateException("chat-stream.json changed shape");
    }
    return cut.getBytes(StandardCharsets.UTF_8);
  }

  /** The harness's stream Anthropic Messages body (2 KB). */
  static byte[] messagesStreamBody() {
    return resource("/bench/messages-stream.json");
  }

  /** The Claude Code first request (~86 KB), the {@code body} member of the fixture, as compact bytes. */
  static byte[] claudeCodeBody() {
    try {
      JsonNode fixture = JSON.readTree(resource("/fixtures/claude-code-messages-request.json"));
      return JSON.writeValueAsBytes(fixture.get("body"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A vLLM-like backend that renames the model and captures token ids and logprobs. */
  static BackendConfig vllmBackend(boolean capture) {
    return new BackendConfig("vllm", Provider.OPENAI, "http://127.0.0.1:8000/v1", "Qwen/Qwen3-8B",
        SecretRef.NONE, capture ? Set.of(Capture.TOKEN_IDS, Capture.LOGPROBS) : Set.of(),
        BackendConfig.DEFAULT_CONNECT_TIMEOUT, BackendConfig.DEFAULT_RESPONSE_TIMEOUT, null);
  }

  /**
   * The 20 {@code data:} JSON payloads of a chat stream. With {@code capture}, shaped like vLLM with
   * {@code return_token_ids} and {@code logprobs}: the first chunk carries 450 {@code prompt_token_ids}
   * (about a 2 KB prompt), every choice its {@code token_ids} and a {@code logprobs.content} entry.
   */
  static List<byte[]> openAiChunks(boolean capture) {
    List<String> out = new ArrayList<>(STREAM_CHUNKS);
    String head = "{\"id\":\"" + ID + "\",\"object\":\"chat.completion.chunk\",\"created\":" + CREATED
        + ",\"model\":\"" + MODEL + "\",\"service_tier\":\"default\",\"system_fingerprint\":\"fp_06737a9306\",";
    StringBuilder promptIds = new StringBuilder("\"prompt_token_ids\":[");
    for (int i = 0; i < 450; i++) {
      promptIds.append(i == 0 ? "" : ",").append(1000 + (i * 7919) % 150_000);
    }
    promptIds.append("],");
    out.add(head + (capture ? promptIds : "") + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\","
        + "\"content\":\"\",\"refusal\":null}," + (capture ? "\"token_ids\":[]," : "")
        + "\"logprobs\":null,\"finish_reason\":null}]}");
    for (int i = 0; i < PIECES.length; i++) {
      String piece = PIECES[i];
      String logprobs = "null";
      String ids = "";
      if (capture) {
        ids = "\"token_ids\":[" + (3000 + i * 131) + "],";
        logprobs = "{\"content\":[{\"token\":\"" + piece + "\",\"logprob\":-" + (0.0125 + i * 0.031)
            + ",\"bytes\":" + Arrays.toString(piece.getBytes(StandardCharsets.UTF_8)).replace(" ", "")
            + ",\"top_logprobs\":[]}]}";
      }
      out.add(head + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" + piece + "\"}," + ids
          + "\"logprobs\":" + logprobs + ",\"finish_reason\":null}]}");
    }
    out.add(head + "\"choices\":[{\"index\":0,\"delta\":{}," + (capture ? "\"token_ids\":[]," : "")
        + "\"logprobs\":null,\"finish_reason\":\"stop\"}]}");
    out.add(head + "\"choices\":[],\"usage\":{\"prompt_tokens\":452,\"completion_tokens\":18,"
        + "\"total_tokens\":470,\"prompt_tokens_details\":{\"cached_tokens\":0,\"audio_tokens\":0},"
        + "\"completion_tokens_details\":{\"reasoning_tokens\":0,\"audio_tokens\":0,"
        + "\"accepted_prediction_tokens\":0,\"rejected_prediction_tokens\":0}}}");
    if (out.size() != STREAM_CHUNKS) {
      throw new IllegalStateException("expected " + STREAM_CHUNKS + " chunks, built " + out.size());
    }
    List<byte[]> bytes = new ArrayList<>(out.size());
    for (String s : out) {
      bytes.add(s.getBytes(StandardCharsets.UTF_8));
    }
    return bytes;
  }

  /** The whole SSE byte stream for {@code payloads}: {@code data: <json>\n\n} each, then {@code data: [DONE]}. */
  static byte[] sseStream(List<byte[]> payloads) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : payloads) {
      out.writeBytes("data: ".getBytes(StandardCharsets.US_ASCII));
      out.writeBytes(p);
      out.writeBytes("\n\n".getBytes(StandardCharsets.US_ASCII));
    }
    out.writeBytes("data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII));
    return out.toByteArray();
  }

  /**
   * The stream cut the way a socket may hand it over: {@code "event"} gives one buffer per SSE event (a
   * paced upstream, one write per token); {@code "mixed"} cuts at fixed sizes unrelated to event bounds, so
   * frames straddle buffers and several small frames share one (a busy connection, TCP coalescing).
   */
  static List<byte[]> networkBuffers(byte[] stream, String split) {
    List<byte[]> buffers = new ArrayList<>();
    if ("event".equals(split)) {
      int start = 0;
      for (int i = 1; i < stream.length; i++) {
        if (stream[i - 1] == '\n' && stream[i] == '\n') {
          buffers.add(Arrays.copyOfRange(stream, start, i + 1));
          start = i + 1;
        }
      }
      if (start < stream.length) {
        buffers.add(Arrays.copyOfRange(stream, start, stream.length));
      }
      return buffers;
    }
    if (!"mixed".equals(split)) {
      throw new IllegalArgumentException("split: " + split);
    }
    int[] sizes = {517, 96, 1448, 230, 64, 905, 333};
    int pos = 0;
    for (int k = 0; pos < stream.length; k++) {
      int n = Math.min(sizes[k % sizes.length], stream.length - pos);
      buffers.add(Arrays.copyOfRange(stream, pos, pos + n));
      pos += n;
    }
    return buffers;
  }

  /** A ~1 KB non-stream chat.completion answering {@link #chatBody()}. */
  static byte[] chatResponse() {
    String content = "- Use two pinned processes: the load generator and the mock upstream on CPU 0, the gateway on "
        + "CPU 1 (taskset), so they do not steal each other's cycles.\\n- Measure the mock directly first, then "
        + "through the gateway, with the same body, connection count and duration; report the difference.\\n- "
        + "Use an open-loop probe at fixed rates for p50/p99 (closed-loop tools hide queueing), and wrk only for "
        + "maximum throughput.\\n- Warm the JVM up before measuring, and repeat runs: 2 cores are noisy.";
    String s = "{\"id\":\"" + ID + "\",\"object\":\"chat.completion\",\"created\":" + CREATED + ",\"model\":\""
        + MODEL + "\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"" + content
        + "\",\"refusal\":null,\"annotations\":[]},\"logprobs\":null,\"finish_reason\":\"stop\"}],"
        + "\"usage\":{\"prompt_tokens\":452,\"completion_tokens\":112,\"total_tokens\":564,"
        + "\"prompt_tokens_details\":{\"cached_tokens\":0,\"audio_tokens\":0},\"completion_tokens_details\":"
        + "{\"reasoning_tokens\":0,\"audio_tokens\":0,\"accepted_prediction_tokens\":0,"
        + "\"rejected_prediction_tokens\":0}},\"service_tier\":\"default\",\"system_fingerprint\":\"fp_06737a9306\"}";
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
