package io.tracegate.store;

import com.fasterxml.jackson.databind.JsonNode;
import io.tracegate.trace.RawJson;
import io.tracegate.trace.Span;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.Map;

/**
 * Approximate JSON size of a span, for the byte budget of a page ({@link SpanQuery#maxBytes()}): the
 * bodies, the token arrays at typical digits per number, and a fixed allowance for the other fields. It only
 * needs to be proportional to what rendering the span costs, so it counts characters without encoding.
 */
public final class SpanSize {
  /** The scalar fields, usage and attributes of a typical span. */
  public static final long FIXED = 1024;
  /** A token id in a JSON array: up to six digits and a comma. */
  public static final long PER_TOKEN_ID = 7;
  /** A logprob in a JSON array: ~17 significant digits, sign, point, comma. */
  public static final long PER_LOGPROB = 22;

  private SpanSize() {}

  public static long of(Span s) {
    return FIXED + body(s.request()) + body(s.response()) + body(s.upstreamRequest())
        + tokens(s.promptTokenIds(), s.responseTokenIds(), s.responseLogprobs());
  }

  /** The token arrays' share of {@link #of}. */
  public static long tokens(int[] prompt, int[] response, double[] logprobs) {
    return PER_TOKEN_ID * ((prompt == null ? 0 : prompt.length) + (response == null ? 0 : response.length))
        + PER_LOGPROB * (logprobs == null ? 0 : logprobs.length);
  }

  /** Characters of a JSON tree's text (without whitespace or escapes); iterative, so depth does not matter. */
  static long body(JsonNode root) {
    if (root == null) {
      return 0;
    }
    byte[] raw = RawJson.rawUtf8(root);
    if (raw != null) {
      return raw.length;
    }
    long size = 0;
    ArrayDeque<JsonNode> pending = new ArrayDeque<>();
    pending.push(root);
    while (!pending.isEmpty()) {
      JsonNode n = pending.pop();
      if (n.isObject()) {
        size += 2;
        for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> e = it.next();
          size += e.getKey().length() + 4;
          pending.push(e.getValue());
        }
      } else if (n.isArray()) {
        size += 2 + n.size();
        n.forEach(pending::push);
      } else if (n.isTextual()) {
        size += n.textValue().length() + 2;
      } else if (n.isBinary()) {
        size += n.asText().length() + 2;
      } else {
        size += 8;
      }
    }
    return size;
  }
}
