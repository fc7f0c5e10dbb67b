package io.tracegate.cli;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** Human formatting of times, durations and money in CLI tables. */
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
}
