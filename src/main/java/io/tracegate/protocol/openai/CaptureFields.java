package io.tracegate.protocol.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

/**
 * Removes from an OpenAI response (or stream chunk) the capture fields the gateway asked a vLLM backend for
 * but the client did not: token ids ({@code prompt_token_ids}, {@code prompt_logprobs},
 * {@code choices[].token_ids}, {@code choices[].prompt_token_ids}) and logprobs ({@code choices[].logprobs}
 * becomes null, as when not requested). The span keeps them; the client gets the shape it asked for.
 */
public final class CaptureFields {
  private static final ObjectMapper JSON = new ObjectMapper();

  private CaptureFields() {}

  /** The JSON without the named capture fields; the input itself when it is not a JSON object. */
  public static byte[] strip(byte[] json, boolean tokenIds, boolean logprobs) {
    if (!tokenIds && !logprobs) {
      return json;
    }
    try {
      JsonNode node = JSON.readTree(json);
      if (node == null || !node.isObject()) {
        return json;
      }
      stripInPlace((ObjectNode) node, tokenIds, logprobs);
      return JSON.writeValueAsBytes(node);
    } catch (IOException notJson) {
      return json;
    }
  }

  /** Removes the named capture fields from a parsed response or chunk, in place. */
  public static void stripInPlace(ObjectNode root, boolean tokenIds, boolean logprobs) {
    if (tokenIds) {
      root.remove("prompt_token_ids");
      root.remove("prompt_logprobs");
    }
    for (JsonNode choice : root.path("choices")) {
      if (choice instanceof ObjectNode c) {
        if (tokenIds) {
          c.remove("token_ids");
          c.remove("prompt_token_ids");
        }
        if (logprobs && c.has("logprobs")) {
          c.putNull("logprobs");
        }
      }
    }
  }
}
