package io.tracegate.protocol.openai;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The fast path of {@link RequestPeek#parse}: one pass over the bytes that validates the whole body and reads
 * its top level, eight bytes at a time through string contents (most of an agent's request). It accepts only
 * what it is sure of: strict RFC 8259 JSON in well-formed UTF-8, within limits far below Jackson's, with top-level
 * keys, nested keys and the {@code model} value in plain ASCII without escapes. For anything else (malformed
 * input, a byte-order mark, deep nesting, an escaped key, a non-ASCII model name ...) it answers null and the
 * caller asks Jackson, which then decides, and words any error, exactly as before. Whatever it accepts,
 * Jackson accepts too and reads the same {@link RequestPeek} from.
 */
final class RequestScanner {
  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long ONES = 0x0101010101010101L;
  private static final long HIGHS = 0x8080808080808080L;
  private static final long QUOTES = '"' * ONES;
  private static final long BACKSLASHES = '\\' * ONES;
  private static final long SPACES = 0x20 * ONES;

  /** Nesting levels tracked in one long; deeper documents go to Jackson (whose own limit is far higher). */
  static final int MAX_DEPTH = 64;
  /** Characters of a number; Jackson's limit is 1000. */
  static final int MAX_NUMBER_BYTES = 100;
  /** Bytes of one string; Jackson's limit is 20 million characters, and a character is at least a byte. */
  static final int MAX_STRING_BYTES = 1_000_000;
  /** Bytes of a key or of the model name; Jackson's limit for keys is 50,000. */
  static final int MAX_NAME_BYTES = 1_000;

  private RequestScanner() {}

  /** The peek of {@code body}, or null when this scanner is not sure (the caller then parses with Jackson). */
  static RequestPeek scan(byte[] b) {
    int end = b.length;
    int i = skipWhitespace(b, 0, end);
    if (i >= end || b[i] != '{') {
      return null;
    }
    int objectStart = i;
    i = skipWhitespace(b, i + 1, end);
    String model = null;
    boolean modelNotString = false;
    boolean stream = false;
    boolean streamNotBoolean = false;
    boolean streamOptions = false;
    boolean includeUsage = false;
    List<RequestPeek.Member> members = new ArrayList<>(16);
    if (i < end && b[i] != '}') {
      while (true) {
        int keyStart = i;
        int keyEnd = plainString(b, i, end, MAX_NAME_BYTES);
        if (keyEnd < 0) {
          return null;
        }
        String name = new String(b, keyStart + 1, keyEnd - keyStart - 2, StandardCharsets.ISO_8859_1);
        i = valueAfterKey(b, keyEnd, end);
        if (i < 0) {
          return null;
        }
        int valueStart = i;
        switch (name) {
          case "model" -> {
            modelNotString = i >= end || b[i] != '"';
            if (modelNotString) {
              model = null;
              i = skipValue(b, i, end);
            } else {
              i = plainString(b, i, end, MAX_NAME_BYTES);
              model = i < 0 ? null : new String(b, valueStart + 1, i - valueStart - 2, StandardCharsets.ISO_8859_1);
            }
          }
          case "stream" -> {
            stream = startsWith(b, i, end, "true");
            streamNotBoolean = !stream && !startsWith(b, i, end, "false") && !startsWith(b, i, end, "null");
            i = skipValue(b, i, end);
          }
          case "stream_options" -> {
            streamOptions = i < end && b[i] == '{';
            i = skipValue(b, i, end);
            includeUsage = streamOptions && i >= 0 && includeUsage(b, valueStart, end);
          }
          default -> i = skipValue(b, i, end);
        }
        if (i < 0) {
          return null;
        }
        members.add(new RequestPeek.Member(name, keyStart, valueStart, i));
        i = skipWhitespace(b, i, end);
        if (i >= end) {
          return null;
        }
        if (b[i] == '}') {
          break;
        }
        if (b[i] != ',') {
          return null;
        }
        i = skipWhitespace(b, i + 1, end);
      }
    }
    if (i >= end || skipWhitespace(b, i + 1, end) != end) {
      return null;
    }
    return new RequestPeek(model, modelNotString, stream, streamNotBoolean, streamOptions, includeUsage,
        objectStart, i, members);
  }

  /**
   * Whether the (already validated) object at {@code i} has a member {@code include_usage} whose value is
   * literally {@code true}; the last such member decides, as when Jackson reads it.
   */
  private static boolean includeUsage(byte[] b, int i, int end) {
    boolean include = false;
    i = skipWhitespace(b, i + 1, end);
    while (b[i] != '}') {
      int keyEnd = plainString(b, i, end, MAX_NAME_BYTES);
      boolean isInclude = keyEnd - i == "include_usage".length() + 2 && startsWith(b, i + 1, end, "include_usage");
      i = valueAfterKey(b, keyEnd, end);
      if (isInclude) {
        include = startsWith(b, i, end, "true");
      }
      i = skipWhitespace(b, skipValue(b, i, end), end);
      if (b[i] == ',') {
        i = skipWhitespace(b, i + 1, end);
      }
    }
    return include;
  }

  /**
   * The index just past the value that starts at {@code i} (containers included, validated to the end), or -1.
   * A scalar must be followed by a separator, which the caller checks.
   */
  static int skipValue(byte[] b, int i, int end) {
    long arrays = 0; // bit d: nesting level d is an array (else an object)
    int depth = 0;
    while (true) {
      if (i >= end) {
        return -1;
      }
      byte c = b[i];
      if (c == '"') {
        i = skipString(b, i + 1, end);
      } else if (c == '{' || c == '[') {
        if (depth == MAX_DEPTH) {
          return -1;
        }
        boolean array = c == '[';
        i = skipWhitespace(b, i + 1, end);
        if (i < end && b[i] == (array ? ']' : '}')) {
          i++; // empty: a complete value
        } else {
          arrays = array ? arrays | (1L << depth) : arrays & ~(1L << depth);
          depth++;
          if (!array) {
            i = keyThenColon(b, i, end);
            if (i < 0) {
              return -1;
            }
          }
          continue; // the first element's value
        }
      } else if (c == 't') {
        i = startsWith(b, i, end, "true") ? i + 4 : -1;
      } else if (c == 'f') {
        i = startsWith(b, i, end, "false") ? i + 5 : -1;
      } else if (c == 'n') {
        i = startsWith(b, i, end, "null") ? i + 4 : -1;
      } else {
        i = skipNumber(b, i, end);
      }
      if (i < 0) {
        return -1;
      }
      // a value is complete: close the containers it ends, or move to the next element
      while (true) {
        if (depth == 0) {
          return i;
        }
        i = skipWhitespace(b, i, end);
        if (i >= end) {
          return -1;
        }
        boolean inArray = (arrays & (1L << (depth - 1))) != 0;
        byte s = b[i];
        if (s == ',') {
          i = skipWhitespace(b, i + 1, end);
          if (!inArray) {
            i = keyThenColon(b, i, end);
            if (i < 0) {
              return -1;
            }
          }
          break;
        }
        if (s != (inArray ? ']' : '}')) {
          return -1;
        }
        i++;
        depth--;
      }
    }
  }

  /** A key at {@code i}, then {@code ':'}: the index of the value after it, or -1. */
  private static int keyThenColon(byte[] b, int i, int end) {
    int keyEnd = plainString(b, i, end, MAX_NAME_BYTES);
    return keyEnd < 0 ? -1 : valueAfterKey(b, keyEnd, end);
  }

  /** The index of the value after the {@code ':'} that follows a key ending before {@code keyEnd}, or -1. */
  private static int valueAfterKey(byte[] b, int keyEnd, int end) {
    int i = skipWhitespace(b, keyEnd, end);
    return i < end && b[i] == ':' ? skipWhitespace(b, i + 1, end) : -1;
  }

  /**
   * A string at {@code i} of printable ASCII without escapes, at most {@code maxBytes} long: the index just past
   * its closing quote, or -1 (for any other string too: those go to Jackson).
   */
  private static int plainString(byte[] b, int i, int end, int maxBytes) {
    if (i >= end || b[i] != '"') {
      return -1;
    }
    int limit = end - i > maxBytes + 2 ? i + 2 + maxBytes : end; // the closing quote's index + 1; no overflow
    for (int j = i + 1; j < limit; j++) {
      byte c = b[j];
      if (c == '"') {
        return j + 1;
      }
      if (c == '\\' || c < 0x20) { // bytes >= 0x80 are negative
        return -1;
      }
    }
    return -1;
  }

  /**
   * The contents of a string from {@code i} (just after the opening quote): the index just past the closing
   * quote, or -1 for an invalid escape, a control character, malformed UTF-8 or more than
   * {@link #MAX_STRING_BYTES}. Runs of plain ASCII are crossed eight bytes per step.
   */
  static int skipString(byte[] b, int i, int end) {
    int limit = end - i > MAX_STRING_BYTES ? i + MAX_STRING_BYTES + 1 : end;
    while (true) {
      while (i + 8 <= limit) {
        long w = (long) LONGS.get(b, i);
        long special = zeroBytes(w ^ QUOTES) | zeroBytes(w ^ BACKSLASHES) | (HIGHS & (w | (w - SPACES)));
        if (special != 0) {
          i += Long.numberOfTrailingZeros(special) >>> 3;
          break;
        }
        i += 8;
      }
      if (i >= limit) {
        return -1;
      }
      int c = b[i] & 0xFF;
      if (c == '"') {
        return i + 1;
      } else if (c == '\\') {
        i = skipEscape(b, i + 1, limit);
      } else if (c >= 0x80) {
        i = skipUtf8(b, i, c, limit);
      } else if (c < 0x20) {
        return -1;
      } else {
        i++;
      }
      if (i < 0) {
        return -1;
      }
    }
  }

  /** The high bit of each byte of {@code v} that is zero (the lowest one flagged is exactly the first). */
  private static long zeroBytes(long v) {
    return (v - ONES) & ~v & HIGHS;
  }

  private static int skipEscape(byte[] b, int i, int end) {
    if (i >= end) {
      return -1;
    }
    switch (b[i]) {
      case '"', '\\', '/', 'b', 'f', 'n', 'r', 't' -> {
        return i + 1;
      }
      case 'u' -> {
        if (i + 5 > end) {
          return -1;
        }
        for (int k = i + 1; k <= i + 4; k++) {
          if (Character.digit(b[k], 16) < 0) {
            return -1;
          }
        }
        return i + 5;
      }
      default -> {
        return -1;
      }
    }
  }

  /**
   * One well-formed UTF-8 sequence (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF) whose
   * lead byte {@code c} is at {@code i}: the index after it, or -1.
   */
  private static int skipUtf8(byte[] b, int i, int c, int end) {
    int more;
    int low = 0x80;
    int high = 0xBF; // the allowed range of the second byte
    if (c >= 0xC2 && c <= 0xDF) {
      more = 1;
    } else if (c >= 0xE0 && c <= 0xEF) {
      more = 2;
      if (c == 0xE0) {
        low = 0xA0;
      } else if (c == 0xED) {
        high = 0x9F;
      }
    } else if (c >= 0xF0 && c <= 0xF4) {
      more = 3;
      if (c == 0xF0) {
        low = 0x90;
      } else if (c == 0xF4) {
        high = 0x8F;
      }
    } else {
      return -1;
    }
    if (i + more >= end) {
      return -1;
    }
    int second = b[i + 1] & 0xFF;
    if (second < low || second > high) {
      return -1;
    }
    for (int k = i + 2; k <= i + more; k++) {
      if ((b[k] & 0xC0) != 0x80) {
        return -1;
      }
    }
    return i + more + 1;
  }

  /** A number as RFC 8259 writes it: the index after it, or -1. */
  private static int skipNumber(byte[] b, int i, int end) {
    int start = i;
    if (i < end && b[i] == '-') {
      i++;
    }
    if (i < end && b[i] == '0') {
      i++;
    } else {
      int digits = skipDigits(b, i, end);
      if (digits == i) {
        return -1;
      }
      i = digits;
    }
    if (i < end && b[i] == '.') {
      int digits = skipDigits(b, i + 1, end);
      if (digits == i + 1) {
        return -1;
      }
      i = digits;
    }
    if (i < end && (b[i] == 'e' || b[i] == 'E')) {
      i++;
      if (i < end && (b[i] == '+' || b[i] == '-')) {
        i++;
      }
      int digits = skipDigits(b, i, end);
      if (digits == i) {
        return -1;
      }
      i = digits;
    }
    return i - start <= MAX_NUMBER_BYTES ? i : -1;
  }

  private static int skipDigits(byte[] b, int i, int end) {
    while (i < end && b[i] >= '0' && b[i] <= '9') {
      i++;
    }
    return i;
  }

  /** The first index from {@code i} that is not JSON whitespace, or {@code end}. */
  private static int skipWhitespace(byte[] b, int i, int end) {
    while (i < end) {
      byte c = b[i];
      if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
        return i;
      }
      i++;
    }
    return end;
  }

  private static boolean startsWith(byte[] b, int i, int end, String ascii) {
    if (i < 0 || i + ascii.length() > end) {
      return false;
    }
    for (int k = 0; k < ascii.length(); k++) {
      if (b[i + k] != ascii.charAt(k)) {
        return false;
      }
    }
    return true;
  }
}
