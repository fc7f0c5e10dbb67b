package io.tracegate.protocol.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.List;

/**
 * A string node made by joining other string nodes with a separator: an ordinary {@link TextNode} (its
 * value is the joined text, so equality and serialisation are a TextNode's) that also keeps its parts.
 * {@link RawStringTree#write} uses them to copy the source bytes of long parts instead of escaping the
 * joined text again, as a translation joins a Claude Code system prompt's blocks into one message.
 */
public final class JoinedTextNode extends TextNode {
  private final List<TextNode> parts;
  private final String separator;

  private JoinedTextNode(String value, List<TextNode> parts, String separator) {
    super(value);
    this.parts = parts;
    this.separator = separator;
  }

  /** The parts joined with {@code separator}; a single part is returned as it is (it keeps its source), none is "". */
  public static TextNode of(List<TextNode> parts, String separator) {
    if (parts.isEmpty()) {
      return TextNode.valueOf("");
    }
    if (parts.size() == 1) {
      return parts.get(0);
    }
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < parts.size(); i++) {
      if (i > 0) {
        text.append(separator);
      }
      text.append(parts.get(i).textValue());
    }
    return new JoinedTextNode(text.toString(), List.copyOf(parts), separator);
  }

  /**
   * {@code node} itself when it is a string node (so a writer can still find where it came from), else a
   * string node of {@code node.asText(fallback)}; {@code fallback} also for a missing node.
   */
  public static TextNode text(JsonNode node, String fallback) {
    if (node instanceof TextNode t) {
      return t;
    }
    return TextNode.valueOf(node == null ? fallback : node.asText(fallback));
  }

  List<TextNode> parts() {
    return parts;
  }

  String separator() {
    return separator;
  }
}
