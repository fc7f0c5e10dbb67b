package io.tracegate.trace;

import io.tracegate.protocol.json.JsonLimits;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.POJONode;
import com.fasterxml.jackson.databind.util.RawValue;
import io.tracegate.protocol.json.Utf8JsonText;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * JSON bodies kept as the bytes they arrived as. The recorder does not parse a request body (often tens of KB
 * for an agent) just so the store can serialise it again: a raw node is written verbatim by Jackson (API
 * output, store columns). Stores hand back parsed trees, so readers never see a raw node; code that needs
 * the tree of a span that has not been stored yet calls {@link #materialize}.
 */
public final class RawJson {
  private static final ObjectMapper JSON = JsonLimits.mapper();

  private RawJson() {}

  /** A node that serialises as exactly these bytes, which must be valid JSON and must not change. */
  public static JsonNode of(byte[] validJson) {
    return Utf8JsonText.node(validJson);
  }

  public static boolean isRaw(JsonNode node) {
    return node instanceof POJONode p && p.getPojo() instanceof RawValue;
  }

  /** The JSON text of a raw node, or null when {@code node} is not raw (serialise it instead). */
  public static String rawText(JsonNode node) {
    return isRaw(node) ? String.valueOf(((RawValue) ((POJONode) node).getPojo()).rawValue()) : null;
  }

  /**
   * The UTF-8 JSON of a raw node (the bytes it was made from, not a copy: do not change them), or null when
   * {@code node} is not raw.
   */
  public static byte[] rawUtf8(JsonNode node) {
    if (!isRaw(node)) {
      return null;
    }
    Object value = ((RawValue) ((POJONode) node).getPojo()).rawValue();
    return value instanceof Utf8JsonText text ? text.utf8() : String.valueOf(value).getBytes(StandardCharsets.UTF_8);
  }

  /** The parsed tree of a raw node (a string node if it is not JSON after all); other nodes unchanged. */
  public static JsonNode materialize(JsonNode node) {
    if (!isRaw(node)) {
      return node;
    }
    String text = rawText(node);
    try {
      return JSON.readTree(text);
    } catch (IOException notJson) {
      return JsonNodeFactory.instance.textNode(text);
    }
  }
}
