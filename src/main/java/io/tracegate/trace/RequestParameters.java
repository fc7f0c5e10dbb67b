package io.tracegate.trace;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.tracegate.protocol.openai.RequestPeek;
import java.io.IOException;
import java.util.List;

/**
 * The sampling parameters a span reports as GenAI attributes, read with one streaming pass over the top level
 * of the request (nested values are skipped), so recording never builds a tree of a large agent request.
 * Numbers only; anything else is ignored.
 */
record RequestParameters(Number maxTokens, Number temperature, Number topP, Number choiceCount) {
  private static final JsonFactory FACTORY = new JsonFactory();
  private static final RequestParameters NONE = new RequestParameters(null, null, null, null);

  /**
   * The same parameters from the members {@link RequestPeek} already located in {@code json}: only the few
   * small values named here are read, so a large agent request is not scanned a second time.
   */
  static RequestParameters of(byte[] json, List<RequestPeek.Member> members) {
    Number maxTokens = null;
    Number maxCompletionTokens = null;
    Number temperature = null;
    Number topP = null;
    Number n = null;
    for (RequestPeek.Member m : members) {
      switch (m.name()) {
        case "max_tokens" -> maxTokens = number(json, m, maxTokens);
        case "max_completion_tokens" -> maxCompletionTokens = number(json, m, maxCompletionTokens);
        case "temperature" -> temperature = number(json, m, temperature);
        case "top_p" -> topP = number(json, m, topP);
        case "n" -> n = number(json, m, n);
        default -> { }
      }
    }
    return new RequestParameters(maxCompletionTokens != null ? maxCompletionTokens : maxTokens, temperature, topP, n);
  }

  /** The member's value if it is a number, else {@code previous} (a later duplicate that is not a number is ignored). */
  private static Number number(byte[] json, RequestPeek.Member m, Number previous) {
    try (JsonParser p = FACTORY.createParser(json, m.valueStart(), m.valueEnd() - m.valueStart())) {
      JsonToken value = p.nextToken();
      return value == JsonToken.VALUE_NUMBER_INT || value == JsonToken.VALUE_NUMBER_FLOAT
          ? p.getNumberValue() : previous;
    } catch (IOException malformed) {
      return previous;
    }
  }

  static RequestParameters scan(byte[] json) {
    Number maxTokens = null;
    Number maxCompletionTokens = null;
    Number temperature = null;
    Number topP = null;
    Number n = null;
    try (JsonParser p = FACTORY.createParser(json)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return NONE;
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken value = p.nextToken();
        boolean number = value == JsonToken.VALUE_NUMBER_INT || value == JsonToken.VALUE_NUMBER_FLOAT;
        switch (name) {
          case "max_tokens" -> maxTokens = number ? p.getNumberValue() : maxTokens;
          case "max_completion_tokens" -> maxCompletionTokens = number ? p.getNumberValue() : maxCompletionTokens;
          case "temperature" -> temperature = number ? p.getNumberValue() : temperature;
          case "top_p" -> topP = number ? p.getNumberValue() : topP;
          case "n" -> n = number ? p.getNumberValue() : n;
          default -> p.skipChildren();
        }
      }
    } catch (IOException malformed) {
      return NONE;
    }
    return new RequestParameters(maxCompletionTokens != null ? maxCompletionTokens : maxTokens, temperature, topP, n);
  }
}
