package io.tracegate.server;

import io.tracegate.trace.EpochClock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses a point in time given by a user: an ISO-8601 instant ({@code 2026-11-22T05:00:00Z}), a duration
 * ago ({@code 90s}, {@code 15m}, {@code 2h}, {@code 7d}) or Unix nanoseconds ({@code 1763787600000000000}).
 */
public final class TimeArgs {
  private static final Pattern AGO = Pattern.compile("(\\d+)(s|m|h|d)");

  private TimeArgs() {}

  /** Unix nanoseconds; throws IllegalArgumentException with the accepted forms. */
  public static long parseUnixNano(String text) {
    String s = text.trim();
    Matcher m = AGO.matcher(s);
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      long seconds = switch (m.group(2)) {
        case "s" -> n;
        case "m" -> n * 60;
        case "h" -> n * 3600;
        default -> n * 86400;
      };
      return EpochClock.nowUnixNano() - seconds * 1_000_000_000L;
    }
    if (s.chars().allMatch(Character::isDigit) && !s.isEmpty()) {
      return Long.parseLong(s);
    }
    try {
      Instant i = Instant.parse(s);
      return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("invalid time '" + text
          + "': expected an ISO-8601 instant (2026-11-22T05:00:00Z), a duration ago (15m, 2h, 7d) or Unix nanoseconds");
    }
  }
}
