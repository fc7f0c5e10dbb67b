package io.tracegate.cli;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** Human formatting of times, durations, money and user strings in CLI output. */
final class Formats {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneOffset.UTC);

  private Formats() {}

  static String time(long unixNano) {
    return unixNano <= 0 ? "-" : TIME.format(Instant.ofEpochSecond(0, unixNano));
  }

  static String millis(long nanos) {
    return String.format(Locale.ROOT, "%.1f", nanos / 1e6);
  }

  static String usd(Double v) {
    return v == null ? "-" : String.format(Locale.ROOT, "%.6f", v);
  }

  /**
   * A user-supplied string (rollout id, model name, error text) made safe to print on one line: control
   * characters, line and paragraph separators and bidirectional overrides are shown as escapes (backslash n,
   * t or r; else backslash, u and four hex digits, as in Java source), so they can neither break a table's lines
   * nor drive the terminal.
   */
  static String visible(String s) {
    StringBuilder out = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      String escape = switch (c) {
        case '\n' -> "\\n";
        case '\r' -> "\\r";
        case '\t' -> "\\t";
        default -> hidden(c) ? String.format(Locale.ROOT, "\\u%04x", (int) c) : null;
      };
      if (escape != null && out == null) {
        out = new StringBuilder(s.length() + 8).append(s, 0, i);
      }
      if (out != null) {
        if (escape != null) {
          out.append(escape);
        } else {
          out.append(c);
        }
      }
    }
    return out == null ? s : out.toString();
  }

  private static boolean hidden(char c) {
    return Character.isISOControl(c) || c == '\u2028' || c == '\u2029'
        || (c >= '\u202a' && c <= '\u202e') || (c >= '\u2066' && c <= '\u2069');
  }
}
