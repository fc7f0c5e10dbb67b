package io.tracegate.protocol.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * A JSON document read into the very tree {@link ObjectMapper#readTree(byte[])} builds, plus where each long
 * string (at least {@link #RAW_MIN_BYTES} bytes) came from in the source. {@link #write} writes a tree (this
 * one, or one made from its nodes, such as a translation of it) as UTF-8 JSON, copying those strings' source
 * bytes instead of escaping their text again character by character. Agent requests are mostly such strings
 * (a Claude Code request: a 27 KB system prompt, 34 KB of tool descriptions) and a translation moves most of
 * them unchanged. A {@link JoinedTextNode} of such strings (a system prompt's blocks joined into one message)
 * is written the same way, part by part. The tree shares nothing with the source; the source array must not
 * change until the last {@link #write}.
 */
public final class RawStringTree {
  /** Shorter strings are written as usual: looking them up costs more than escaping a few bytes. */
  public static final int RAW_MIN_BYTES = 256;

  private static final ObjectMapper MAPPER = JsonLimits.mapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final JsonStringEncoder ESCAPER = JsonStringEncoder.getInstance();

  private final byte[] source;
  private final JsonNode tree;
  /** Long string node -> {offset, length} of its escaped content in {@link #source}; by identity. */
  private final Map<JsonNode, int[]> spans;

  private RawStringTree(byte[] source, JsonNode tree, Map<JsonNode, int[]> spans) {
    this.source = source;
    this.tree = tree;
    this.spans = spans;
  }

  /**
   * Reads {@code json}; an empty input is a missing node, as with {@code readTree}.
   *
   * @throws IOException when {@code json} is not valid JSON
   */
  public static RawStringTree read(byte[] json) throws IOException {
    Map<JsonNode, int[]> spans = new IdentityHashMap<>();
    try (JsonParser p = MAPPER.createParser(json)) {
      JsonToken t = p.nextToken();
      JsonNode tree = t == null ? MissingNode.getInstance() : value(p, t, json, spans);
      return new RawStringTree(json, tree, spans);
    }
  }

  /** The document's tree, equal to what {@code readTree} returns. */
  public JsonNode tree() {
    return tree;
  }

  /**
   * {@code node} as UTF-8 JSON: what {@code writeValueAsBytes} writes, except that the long strings of this
   * document appear as they were sent (same text, possibly other escapes, e.g. {@code \u00e9} for {@code é}).
   */
  public byte[] write(JsonNode node) {
    try (ByteArrayBuilder out = new ByteArrayBuilder();
        JsonGenerator g = MAPPER.createGenerator(out)) {
      node(g, node, MAPPER.getSerializerProviderInstance());
      g.flush();
      return out.toByteArray();
    } catch (IOException e) {
      throw new IllegalStateException("cannot write a JSON tree", e);
    }
  }

  private void node(JsonGenerator g, JsonNode n, SerializerProvider provider) throws IOException {
    if (n.isObject()) {
      g.writeStartObject();
      for (Map.Entry<String, JsonNode> e : n.properties()) {
        g.writeFieldName(e.getKey());
        node(g, e.getValue(), provider);
      }
      g.writeEndObject();
    } else if (n.isArray()) {
      g.writeStartArray();
      for (JsonNode item : n) {
        node(g, item, provider);
      }
      g.writeEndArray();
    } else if (n instanceof JoinedTextNode joined && hasSourcePart(joined)) {
      ByteArrayBuilder content = new ByteArrayBuilder(joined.textValue().length() + 64);
      appendContent(content, joined);
      byte[] bytes = content.toByteArray(); // the builder may hold several segments
      g.writeRawUTF8String(bytes, 0, bytes.length);
    } else {
      int[] span = sourceOf(n);
      if (span != null) {
        g.writeRawUTF8String(source, span[0], span[1]);
      } else {
        n.serialize(g, provider); // what the mapper does for every value node
      }
    }
  }

  private boolean hasSourcePart(JoinedTextNode joined) {
    for (TextNode part : joined.parts()) {
      if (part instanceof JoinedTextNode inner ? hasSourcePart(inner) : sourceOf(part) != null) {
        return true;
      }
    }
    return false;
  }

  /** The escaped content (no quotes) of a joined string: source bytes for long parts, escaped text otherwise. */
  private void appendContent(ByteArrayBuilder out, JoinedTextNode joined) {
    List<TextNode> parts = joined.parts();
    byte[] separator = ESCAPER.quoteAsUTF8(joined.separator());
    for (int i = 0; i < parts.size(); i++) {
      if (i > 0) {
        out.write(separator);
      }
      TextNode part = parts.get(i);
      if (part instanceof JoinedTextNode inner) {
        appendContent(out, inner);
        continue;
      }
      int[] span = sourceOf(part);
      if (span != null) {
        out.write(source, span[0], span[1]);
      } else {
        out.write(ESCAPER.quoteAsUTF8(part.textValue()));
      }
    }
  }

  /** {offset, length} in {@link #source} of a long string of this document, or null for any other node. */
  private int[] sourceOf(JsonNode n) {
    return mayBeLong(n) ? spans.get(n) : null;
  }

  /** A string whose source could be {@link #RAW_MIN_BYTES} long (an escape is at most 6 bytes per char). */
  private static boolean mayBeLong(JsonNode n) {
    return n.isTextual() && n.textValue().length() * 6 >= RAW_MIN_BYTES;
  }

  private static JsonNode value(JsonParser p, JsonToken t, byte[] json, Map<JsonNode, int[]> spans)
      throws IOException {
    switch (t) {
      case START_OBJECT -> {
        ObjectNode o = NODES.objectNode();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String name = p.currentName();
          o.set(name, value(p, p.nextToken(), json, spans)); // a repeated name replaces, as readTree does
        }
        return o;
      }
      case START_ARRAY -> {
        ArrayNode a = NODES.arrayNode();
        JsonToken item;
        while ((item = p.nextToken()) != JsonToken.END_ARRAY) {
          a.add(value(p, item, json, spans));
        }
        return a;
      }
      case VALUE_STRING -> {
        String text = p.getText();
        int[] span = text.length() * 6 >= RAW_MIN_BYTES ? sourceSpan(p, json) : null;
        if (span == null) {
          return TextNode.valueOf(text);
        }
        JsonNode node = new TextNode(text); // a node of its own: identity is what the spans key on
        spans.put(node, span);
        return node;
      }
      default -> {
        return p.readValueAsTree(); // numbers, booleans, null: exactly as readTree makes them
      }
    }
  }

  /**
   * {offset, length} of the escaped content of the string just read (the parser stands after its closing
   * quote), or null when it is shorter than {@link #RAW_MIN_BYTES} or cannot be located.
   */
  private static int[] sourceSpan(JsonParser p, byte[] json) {
    long quote = p.currentTokenLocation().getByteOffset();
    long after = p.currentLocation().getByteOffset();
    if (quote < 0 || after > json.length || after - quote - 2 < RAW_MIN_BYTES
        || json[(int) quote] != '"' || json[(int) after - 1] != '"') {
      return null;
    }
    return new int[] {(int) quote + 1, (int) (after - quote - 2)};
  }
}
