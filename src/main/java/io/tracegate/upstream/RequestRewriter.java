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
 * (vLLM's {@code return_token_ids}, {@code logprobs}) unless the client set them itself.
 */
public final class RequestRewriter {
  private static final ObjectMapper JSON = new ObjectMapper();

  private RequestRewriter() {}

  /**
   * @param changed false when the body is sent exactly as received
   * @param usageInjected true when the gateway (not the client) asked for stream usage
   */
  public record Rewritten(byte[] body, boolean changed, boolean usageInjected) {}

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
    if (backend.captures(Capture.TOKEN_IDS) && !peek.has("return_token_ids")) {
      edits.add(TopLevelEdit.set("return_token_ids", "true"));
    }
    if (backend.captures(Capture.LOGPROBS) && !peek.has("logprobs")) {
      edits.add(TopLevelEdit.set("logprobs", completionsEndpoint ? "1" : "true"));
    }
    if (edits.isEmpty()) {
      return new Rewritten(body, false, false);
    }
    return new Rewritten(JsonSplicer.apply(body, peek, edits), true, usageInjected);
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
