package io.tracegate.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tracegate.config.BackendConfig;
import io.tracegate.config.Capture;
import io.tracegate.protocol.openai.JsonSplicer;
import io.tracegate.protocol.openai.RequestPeek;
import io.tracegate.protocol.openai.TopLevelEdit;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Prepares an OpenAI-protocol body for an OpenAI-compatible backend by splicing top-level fields into the
 * client's bytes (everything else stays byte-identical): the backend's model name; for streams
 * {@code stream_options.include_usage: true}, so the span gets usage; and the capture options of the backend
 * (vLLM's {@code return_token_ids}, {@code logprobs}) unless the client asked for them itself: a client value of
 * {@code false}, {@code null} or {@code 0} is overridden, and the lane hides from the client what it did not ask
 * for.
 */
public final class RequestRewriter {
  private static final ObjectMapper JSON = new ObjectMapper();

  private RequestRewriter() {}

  /**
   * @param changed false when the body is sent exactly as received
   * @param usageInjected true when the gateway (not the client) asked for stream usage
   * @param tokenIdsInjected true when the gateway asked for token ids the client did not ask for
   * @param logprobsInjected true when the gateway asked for logprobs the client did not ask for
   */
  public record Rewritten(byte[] body, boolean changed, boolean usageInjected, boolean tokenIdsInjected,
      boolean logprobsInjected) {}

  public static Rewritten forOpenAiBackend(byte[] body, RequestPeek peek, String backendModel,
      BackendConfig backend, boolean completionsEndpoint) {
    List<TopLevelEdit> edits = new ArrayList<>(4);
    if (!backendModel.equals(peek.model())) {
      edits.add(TopLevelEdit.setString("model", backendModel));
    }
    boolean usageInjected = false;
    if (peek.stream() && !peek.includeUsage()) {
      edits.add(TopLevelEdit.set("stream_options", streamOptionsWithUsage(body, peek)));
      usageInjected = true;
    }
    // absent, false, null or 0 in the client's request: ask anyway, and hide them from the client
    boolean tokenIds = backend.captures(Capture.TOKEN_IDS) && !clientAskedFor("return_token_ids", body, peek);
    if (tokenIds) {
      edits.add(TopLevelEdit.set("return_token_ids", "true"));
    }
    boolean logprobs = backend.captures(Capture.LOGPROBS) && !clientAskedFor("logprobs", body, peek);
    if (logprobs) {
      edits.add(TopLevelEdit.set("logprobs", completionsEndpoint ? "1" : "true"));
    }
    if (edits.isEmpty()) {
      return new Rewritten(body, false, false, false, false);
    }
    return new Rewritten(JsonSplicer.apply(body, peek, edits), true, usageInjected, tokenIds, logprobs);
  }

  /**
   * True when the client set the top-level {@code field} itself to something other than {@code false},
   * {@code null} or {@code 0} (for {@code logprobs}: true or a number of top logprobs).
   */
  private static boolean clientAskedFor(String field, byte[] body, RequestPeek peek) {
    RequestPeek.Member m = peek.member(field);
    if (m == null) {
      return false;
    }
    String v = new String(body, m.valueStart(), m.valueEnd() - m.valueStart(), java.nio.charset.StandardCharsets.UTF_8)
        .trim();
    return !(v.equals("false") || v.equals("null") || v.equals("0"));
  }

  /**
   * Adds the backend's capture options to an already-built (translated) request, unless present: vLLM's
   * {@code return_token_ids} and {@code logprobs} ({@code true} for chat, {@code 1} for completions).
   */
  public static void applyCapture(ObjectNode request, BackendConfig backend, boolean completionsEndpoint) {
    if (backend.captures(Capture.TOKEN_IDS) && !request.has("return_token_ids")) {
      request.put("return_token_ids", true);
    }
    if (backend.captures(Capture.LOGPROBS) && !request.has("logprobs")) {
      if (completionsEndpoint) {
        request.put("logprobs", 1);
      } else {
        request.put("logprobs", true);
      }
    }
  }

  /** The client's own stream_options (if any) with include_usage switched on. */
  private static String streamOptionsWithUsage(byte[] body, RequestPeek peek) {
    RequestPeek.Member existing = peek.member("stream_options");
    if (existing == null) {
      return "{\"include_usage\":true}";
    }
    try {
      JsonNode node = JSON.readTree(Arrays.copyOfRange(body, existing.valueStart(), existing.valueEnd()));
      ObjectNode options = node.isObject() ? (ObjectNode) node : JSON.createObjectNode();
      options.put("include_usage", true);
      return JSON.writeValueAsString(options);
    } catch (IOException e) {
      return "{\"include_usage\":true}";
    }
  }
}
