package io.tracegate.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A request's prompt as the ordered parts a provider's prefix cache sees: {@code tools}, then {@code system}
 * (Anthropic's top-level system; OpenAI puts it among the messages), then {@code messages[0..n-1]}, in the order
 * of Anthropic's cache prefix. Each part is its compact JSON with {@code cache_control} removed and a string
 * {@code content} (or string {@code system}) written as the one text block it stands for: marking a message for
 * the cache turns its string into a block list (the seed's strategies do), which does not change the prompt.
 */
record PromptParts(List<String> names, List<byte[]> bytes) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The parts of a recorded request body, or null when it has no messages (not recorded, or not a chat call). */
  static PromptParts of(JsonNode request) {
    if (request == null || !request.path("messages").isArray()) {
      return null;
    }
    List<String> names = new ArrayList<>();
    List<byte[]> bytes = new ArrayList<>();
    for (String top : List.of("tools", "system")) {
      JsonNode part = request.get(top);
      if (part != null && !part.isNull()) {
        names.add(top);
        bytes.add(canonical(top.equals("system") ? asBlocks(part) : part));
      }
    }
    int k = 0;
    for (JsonNode message : request.get("messages")) {
      names.add("messages[" + k++ + "]");
      if (message.path("content").isTextual()) {
        ObjectNode copy = ((ObjectNode) message).deepCopy();
        copy.set("content", asBlocks(message.get("content")));
        message = copy;
      }
      bytes.add(canonical(message));
    }
    return new PromptParts(List.copyOf(names), List.copyOf(bytes));
  }

  /**
   * Where {@code this} stops extending {@code previous}: the first part of {@code previous} that this prompt
   * lacks or has different, with the byte offsets; null when every part of {@code previous} is a part of this one.
   */
  Divergence divergenceFrom(PromptParts previous) {
    long offset = 0;
    for (int i = 0; i < previous.names.size(); i++) {
      String name = previous.names.get(i);
      if (i >= names.size()) {
        return new Divergence(name, offset, 0); // this prompt is shorter: it lacks the part
      }
      if (!names.get(i).equals(name)) {
        // a part added or removed here: name the tools/system part that appeared or went away
        String where = names.get(i).startsWith("messages[") ? name : names.get(i);
        return new Divergence(where, offset, 0);
      }
      byte[] old = previous.bytes.get(i);
      byte[] now = bytes.get(i);
      int same = commonPrefix(old, now);
      if (same < old.length || same < now.length) {
        return new Divergence(name, offset + same, same);
      }
      offset += old.length;
    }
    return null;
  }

  /** The first differing part ({@code where}) and byte offsets, in the prompt and within the part. */
  record Divergence(String where, long byteOffset, long partByteOffset) {}

  private static int commonPrefix(byte[] a, byte[] b) {
    int n = Math.min(a.length, b.length);
    for (int i = 0; i < n; i++) {
      if (a[i] != b[i]) {
        return i;
      }
    }
    return n;
  }

  /** A string as the list of one text block it is equivalent to; anything else as it is. */
  private static JsonNode asBlocks(JsonNode value) {
    if (!value.isTextual()) {
      return value;
    }
    ArrayNode blocks = JSON.createArrayNode();
    blocks.addObject().put("type", "text").put("text", value.asText());
    return blocks;
  }

  private static byte[] canonical(JsonNode node) {
    try {
      return JSON.writeValueAsBytes(withoutCacheControl(node));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e); // a JsonNode always serializes
    }
  }

  private static JsonNode withoutCacheControl(JsonNode node) {
    if (node.isObject()) {
      ObjectNode copy = JSON.createObjectNode();
      Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> f = fields.next();
        if (!"cache_control".equals(f.getKey())) {
          copy.set(f.getKey(), withoutCacheControl(f.getValue()));
        }
      }
      return copy;
    }
    if (node.isArray()) {
      ArrayNode copy = JSON.createArrayNode();
      node.forEach(e -> copy.add(withoutCacheControl(e)));
      return copy;
    }
    return node;
  }
}
