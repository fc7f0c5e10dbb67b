package io.tracegate.trace;

import io.tracegate.protocol.json.JsonLimits;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Set;

/**
 * The outline of a whole (non-stream) response body that is stored as received: a tree holding only the
 * members a span reads from it (identity, usage, finish reasons, token ids and logprobs), so the answer's
 * text, usually the bulk of the body, is skipped instead of becoming strings and nodes. Reading any of those
 * members from the outline gives what reading them from the whole tree gives; a body that is not a JSON
 * object is parsed whole, as {@link Recorder#parse} does.
 */
final class ResponseOutline {
  private static final ObjectMapper JSON = JsonLimits.mapper();
  /** Top level: OpenAI and Anthropic identity and usage, Anthropic stop_reason, vLLM prompt ids. */
  private static final Set<String> TOP = Set.of("id", "model", "usage", "stop_reason", "prompt_token_ids", "choices");
  /** Per choice: what {@link FinishReasons} and {@link TokenCapture} read. */
  private static final Set<String> CHOICE = Set.of("finish_reason", "token_ids", "prompt_token_ids", "logprobs");

  private ResponseOutline() {}

  static JsonNode parse(byte[] body) {
    if (body == null || body.length == 0) {
      return null;
    }
    try (JsonParser p = JSON.createParser(body)) {
      if (p.nextToken() == JsonToken.START_OBJECT) {
        return object(p, TOP, true);
      }
    } catch (IOException malformed) {
      // fall through: the whole parse decides what a malformed body becomes
    }
    return Recorder.parse(body);
  }

  /** Reads the object the parser is at, keeping the members in {@code keep}; later duplicates win. */
  private static ObjectNode object(JsonParser p, Set<String> keep, boolean top) throws IOException {
    ObjectNode out = JSON.createObjectNode();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken value = p.nextToken();
      if (!keep.contains(name)) {
        p.skipChildren();
      } else if (top && "choices".equals(name) && value == JsonToken.START_ARRAY) {
        out.set(name, choices(p));
      } else {
        out.set(name, p.readValueAsTree());
      }
    }
    return out;
  }

  private static ArrayNode choices(JsonParser p) throws IOException {
    ArrayNode out = JSON.createArrayNode();
    JsonToken t;
    while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
      out.add(t == JsonToken.START_OBJECT ? object(p, CHOICE, false) : p.readValueAsTree());
    }
    return out;
  }
}
