package io.tracegate.config;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses durations ({@code 250ms}, {@code 10s}, {@code 5m}, {@code 1h}, {@code 30d}, bare milliseconds) and sizes. */
final class Units {
  private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)?");
  private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(b|kb|mb|gb|kib|mib|gib)?");

  private Units() {}

  /** A positive duration, or {@code fallback} when absent. */
  static Duration duration(YamlNode n, Duration fallback) {
    if (n.isAbsent()) {
      return fallback;
    }
    long millis;
    if (n.isIntegral()) {
      millis = n.longValue();
    } else if (n.isTextual()) {
      millis = parseDurationMillis(n.string().strip(), n);
    } else {
      throw n.error(durationExpected() + " but was " + n.describe());
    }
    if (millis <= 0) {
      throw n.error("expected a positive duration but was " + millis + "ms");
    }
    return Duration.ofMillis(millis);
  }

  private static long parseDurationMillis(String text, YamlNode n) {
    Matcher m = DURATION.matcher(text.toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw n.error(durationExpected() + " but was " + n.describe());
    }
    long unit =
        switch (m.group(2) == null ? "ms" : m.group(2)) {
          case "s" -> 1_000L;
          case "m" -> 60_000L;
          case "h" -> 3_600_000L;
          case "d" -> 86_400_000L;
          default -> 1L;
        };
    return multiply(m.group(1), unit, n);
  }

  private static String durationExpected() {
    return "expected a duration like 250ms, 10s, 5m, 1h, 30d or an integer of milliseconds";
  }

  /** A positive size in bytes, or {@code fallback} when absent. */
  static long size(YamlNode n, long fallback) {
    if (n.isAbsent()) {
      return fallback;
    }
    long bytes;
    if (n.isIntegral()) {
      bytes = n.longValue();
    } else if (n.isTextual()) {
      Matcher m = SIZE.matcher(n.string().strip().toLowerCase(Locale.ROOT));
      if (!m.matches()) {
        throw n.error(sizeExpected() + " but was " + n.describe());
      }
      long unit =
          switch (m.group(2) == null ? "b" : m.group(2)) {
            case "kb" -> 1_000L;
            case "mb" -> 1_000_000L;
            case "gb" -> 1_000_000_000L;
            case "kib" -> 1L << 10;
            case "mib" -> 1L << 20;
            case "gib" -> 1L << 30;
            default -> 1L;
          };
      bytes = multiply(m.group(1), unit, n);
    } else {
      throw n.error(sizeExpected() + " but was " + n.describe());
    }
    if (bytes <= 0) {
      throw n.error("expected a positive size but was " + bytes + " bytes");
    }
    return bytes;
  }

  private static String sizeExpected() {
    return "expected a size like 512KiB, 32MiB, 1GiB, 10MB or an integer of bytes";
  }

  private static long multiply(String digits, long unit, YamlNode n) {
    try {
      return Math.multiplyExact(Long.parseLong(digits), unit);
    } catch (ArithmeticException | NumberFormatException e) {
      throw n.error("value too large: " + YamlNode.quote(digits));
    }
  }
}
