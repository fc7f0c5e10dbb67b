package io.tracegate.trace;

import io.tracegate.protocol.json.JsonLimits;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.tracegate.protocol.openai.RequestPeek;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The sampling parameters a span reports as GenAI attributes, read with one streaming pass over the top level
 * of the request (nested values are skipped), so recording never builds a tree of a large agent request.
 * Numbers only; anything else is ignored.
 */
record RequestParameters(Number maxTokens, Number temperature, Number topP, Number choiceCount) {
  private static final JsonFactory FACTORY = JsonLimits.factory();
  private static final RequestParameters NONE = new RequestParameters(null, null, null, null);

  /**
   * The same parameters from the members {@link RequestPeek} already located in {@code json}: only the few
   * small values named here are read, so a large agent request is not scanned a second time.
   */
  static RequestParameters of(byte[] json, List<RequestPeek.Member> members) {
    Found found = new Found();
    for (RequestPeek.Member m : members) {
      if (Found.wanted(m.name())) {
        found.take(m.name(), number(json, m.valueStart(), m.valueEnd()));
      }
    }
    return found.result();
  }

  /**
   * The number a located value spells, of the type Jackson's {@link JsonParser#getNumberValue} gives (Integer,
   * Long or BigInteger for an integer, Double otherwise), or null when the value is not a number. The peek
   * has validated the value, so a value starting with '-' or a digit is a well-formed JSON number; reading it
   * here costs no parser (a parser per parameter was most of this method's time).
   */
  private static Number number(byte[] json, int start, int end) {
    byte first = json[start];
    if (first != '-' && (first < '0' || first > '9')) {
      return null;
    }
    String text = new String(json, start, end - start, StandardCharsets.ISO_8859_1); // a number is ASCII
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '.' || c == 'e' || c == 'E') {
        return Double.parseDouble(text);
      }
    }
    if (text.length() <= 18) { // 18 characters, sign included, always fit a long
      long value = Long.parseLong(text);
      return value == (int) value ? (Number) (int) value : (Number) value;
    }
    BigInteger value = new BigInteger(text);
    return value.bitLength() < 64 ? (Number) value.longValue() : value;
  }

  static RequestParameters scan(byte[] json) {
    Found found = new Found();
    try (JsonParser p = FACTORY.createParser(json)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return NONE;
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken value = p.nextToken();
        if (Found.wanted(name)) {
          found.take(name, number(p, value));
        }
        p.skipChildren(); // no-op for scalars
      }
    } catch (IOException malformed) {
      return NONE;
    }
    return found.result();
  }

  private static Number number(JsonParser p, JsonToken value) throws IOException {
    return value == JsonToken.VALUE_NUMBER_INT || value == JsonToken.VALUE_NUMBER_FLOAT ? p.getNumberValue() : null;
  }

  /** The numbers found so far; a later duplicate that is not a number does not erase an earlier one. */
  private static final class Found {
    private Number maxTokens;
    private Number maxCompletionTokens;
    private Number temperature;
    private Number topP;
    private Number n;

    static boolean wanted(String name) {
      return switch (name) {
        case "max_tokens", "max_completion_tokens", "temperature", "top_p", "n" -> true;
        default -> false;
      };
    }

    void take(String name, Number value) {
      if (value == null) {
        return;
      }
      switch (name) {
        case "max_tokens" -> maxTokens = value;
        case "max_completion_tokens" -> maxCompletionTokens = value;
        case "temperature" -> temperature = value;
        case "top_p" -> topP = value;
        case "n" -> n = value;
        default -> { }
      }
    }

    RequestParameters result() {
      return new RequestParameters(maxCompletionTokens != null ? maxCompletionTokens : maxTokens, temperature, topP,
          n);
    }
  }
}
