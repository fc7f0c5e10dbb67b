package io.tracegate.protocol.translate;

import com.fasterxml.jackson.databind.JsonNode;
import io.tracegate.protocol.json.Utf8JsonText;
import java.util.List;
import java.util.Set;

/**
 * An Anthropic {@code tools} array as Chat Completions function tools.
 *
 * @param functions the {@code tools} array to send, or null when no tool survives (the member is then left out)
 * @param names     the function names, which a {@code tool_choice} of type {@code tool} must name
 * @param dropped   what the tools could not express, in first-seen order
 */
public record TranslatedTools(JsonNode functions, Set<String> names, List<String> dropped) {

  public TranslatedTools {
    names = Set.copyOf(names);
    dropped = List.copyOf(dropped);
  }

  /**
   * These tools with {@code functions} replaced by its JSON text, written once: a node that writes exactly
   * {@code json}, which a later request sending the very same tools can reuse without translating or
   * writing them again. {@code json} must not change.
   */
  public TranslatedTools written(byte[] json) {
    return new TranslatedTools(Utf8JsonText.node(json), names, dropped);
  }
}
