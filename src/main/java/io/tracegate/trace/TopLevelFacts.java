package io.tracegate.trace;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * Follows the structure of a JSON object fed in pieces (depth, strings, escapes: a byte state machine, no
 * decoding, nothing buffered) and copies out the values of the top-level members a span reads its facts from
 * when the body is too large to keep: {@link #NAMES}. Each copied value is at most {@link #MAX_MEMBER_BYTES}
 * and all together at most {@link #MAX_TOTAL_BYTES}; larger ones are skipped. A body that does not start
 * with an object yields nothing. Members nested deeper ({@code choices[].finish_reason}, token ids,
 * logprobs) are not kept: in a truncated body they are usually what made it large.
 */
final class TopLevelFacts {
  /** OpenAI and Anthropic identity, usage and stop reason, vLLM prompt ids. */
  static final Set<String> NAMES =
      Set.of("id", "model", "object", "type", "role", "usage", "stop_reason", "stop_sequence", "prompt_token_ids");
  static final int MAX_MEMBER_BYTES = 1 << 20;
  static final int MAX_TOTAL_BYTES = 2 << 20;
  private static final int MAX_NAME_BYTES = 64;

  private enum Phase { START, KEY, IN_KEY, COLON, VALUE, IN_VALUE, DONE, NOT_AN_OBJECT }

  private Phase phase = Phase.START;
  private int depth;
  private boolean inString;
  private boolean escaped;
  private final ByteArrayOutputStream name = new ByteArrayOutputStream();
  /** The value being copied, or null when the current value is not kept. */
  private ByteArrayOutputStream value;
  private String valueName;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  void feed(byte[] b, int offset, int length) {
    int end = offset + length;
    for (int i = offset; i < end && phase != Phase.DONE && phase != Phase.NOT_AN_OBJECT; i++) {
      byte c = b[i];
      if (inString) {
        if (escaped) {
          escaped = false;
        } else if (c == '\\') {
          escaped = true;
        } else if (c == '"') {
          inString = false;
          if (phase == Phase.IN_KEY) {
            phase = Phase.COLON;
            continue;
          }
        } else if (phase == Phase.IN_KEY) {
          if (name.size() < MAX_NAME_BYTES) {
            name.write(c);
          }
          continue;
        }
        copy(c);
        continue;
      }
      switch (c) {
        case ' ', '\n', '\r', '\t' -> {
          // insignificant whitespace
        }
        case '"' -> {
          if (depth == 1 && phase == Phase.KEY) {
            phase = Phase.IN_KEY;
            name.reset();
            inString = true;
            continue;
          }
          startValueIfExpected();
          inString = true;
          copy(c);
        }
        case '{', '[' -> {
          if (phase == Phase.START) {
            if (c != '{') {
              phase = Phase.NOT_AN_OBJECT;
              continue;
            }
            depth = 1;
            phase = Phase.KEY;
            continue;
          }
          startValueIfExpected();
          copy(c);
          depth++;
        }
        case '}', ']' -> {
          depth--;
          if (depth == 0) {
            endValue();
            phase = Phase.DONE;
          } else {
            copy(c);
          }
        }
        case ':' -> {
          if (depth == 1 && phase == Phase.COLON) {
            phase = Phase.VALUE;
          } else {
            copy(c);
          }
        }
        case ',' -> {
          if (depth == 1) {
            endValue();
            phase = Phase.KEY;
          } else {
            copy(c);
          }
        }
        default -> {
          if (phase == Phase.START) {
            phase = Phase.NOT_AN_OBJECT;
            continue;
          }
          startValueIfExpected();
          copy(c);
        }
      }
    }
  }

  private void startValueIfExpected() {
    if (depth != 1 || phase != Phase.VALUE) {
      return;
    }
    phase = Phase.IN_VALUE;
    String n = new String(name.toByteArray(), StandardCharsets.UTF_8);
    valueName = n;
    value = NAMES.contains(n) ? new ByteArrayOutputStream() : null;
  }

  private void copy(byte c) {
    if (value == null) {
      return;
    }
    if (value.size() >= MAX_MEMBER_BYTES) {
      value = null; // too large to be a fact worth keeping
      return;
    }
    value.write(c);
  }

  private void endValue() {
    if (phase == Phase.IN_VALUE && value != null && value.size() > 0
        && out.size() + value.size() + valueName.length() + 4 <= MAX_TOTAL_BYTES) {
      out.write(out.size() == 0 ? '{' : ',');
      out.write('"');
      out.writeBytes(valueName.getBytes(StandardCharsets.UTF_8));
      out.write('"');
      out.write(':');
      out.writeBytes(value.toByteArray());
    }
    value = null;
    valueName = null;
  }

  /** The kept members as one JSON object ({@code {}} when none was complete), or null for a non-object. */
  byte[] json() {
    if (phase == Phase.NOT_AN_OBJECT || phase == Phase.START) {
      return null;
    }
    if (out.size() == 0) {
      return new byte[] {'{', '}'};
    }
    byte[] members = out.toByteArray();
    byte[] json = new byte[members.length + 1];
    System.arraycopy(members, 0, json, 0, members.length);
    json[members.length] = '}';
    return json;
  }
}
