package io.tracegate.protocol.translate;

import com.fasterxml.jackson.databind.JsonNode;
import io.tracegate.protocol.json.Utf8JsonText;
import java.util.List;

/**
 * An Anthropic {@code system} prompt as the leading Chat Completions message.
 *
 * @param message the {@code system} message, or null when there is none to send
 * @param dropped what the prompt could not express, in first-seen order
 */
public record TranslatedSystem(JsonNode message, List<String> dropped) {

  public TranslatedSystem {
    dropped = List.copyOf(dropped);
  }

  /** This prompt with {@code message} replaced by its JSON text, written once (see {@link TranslatedTools#written}). */
  public TranslatedSystem written(byte[] json) {
    return new TranslatedSystem(Utf8JsonText.node(json), dropped);
  }
}
