package io.tracegate.upstream.routing;

import io.tracegate.config.RetryConfig;
import io.tracegate.upstream.UpstreamException;
import io.vertx.core.MultiMap;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.concurrent.ThreadLocalRandom;

/**
 * What is retried and how long to wait: retryable statuses and transport failures, {@code retry-after-ms} /
 * {@code retry-after}, and exponential backoff with full jitter. See docs/config.md, "Retries".
 */
public final class RetryRules {
  /** No retry-after header (or one that could not be read). */
  public static final long NO_HINT = -1;

  private RetryRules() {}

  /** 408, 409, 429, 500, 502, 503, 504 and Anthropic's 529 (overloaded). */
  public static boolean retryableStatus(int status) {
    return switch (status) {
      case 408, 409, 429, 500, 502, 503, 504, 529 -> true;
      default -> false;
    };
  }

  /**
   * A failure before any response that is worth another attempt: the backend could not be reached (connect
   * failure, reset before the headers), it did not answer within its response timeout, or (on another
   * backend only, see {@link #otherBackendOnly}) none of its connections became free in time or its
   * {@code api_key} variable is unset.
   */
  public static boolean retryable(UpstreamException e) {
    return switch (e.reason()) {
      case UNREACHABLE, TIMEOUT, NO_CONNECTION, MISSING_CREDENTIAL -> true;
      default -> false;
    };
  }

  /**
   * A retryable failure the same backend would repeat at once (no free connection: waiting again takes as long;
   * no key: the variable is read at start), so only another backend may be tried.
   */
  public static boolean otherBackendOnly(UpstreamException e) {
    return e.reason() == UpstreamException.Reason.NO_CONNECTION
        || e.reason() == UpstreamException.Reason.MISSING_CREDENTIAL;
  }

  /** Whether the failure says the backend is unwell (counts towards its cooldown). */
  public static boolean countsAgainstHealth(UpstreamException e) {
    return e.reason() == UpstreamException.Reason.UNREACHABLE || e.reason() == UpstreamException.Reason.TIMEOUT;
  }

  /**
   * The wait a backend asked for, in milliseconds: {@code retry-after-ms} (OpenAI, Anthropic), else
   * {@code retry-after} in seconds or as an HTTP date; {@link #NO_HINT} when neither is there or readable.
   */
  public static long retryAfterMillis(MultiMap headers) {
    String ms = headers.get("retry-after-ms");
    if (ms != null) {
      try {
        double v = Double.parseDouble(ms.trim());
        if (v >= 0 && v < Long.MAX_VALUE) {
          return (long) Math.ceil(v);
        }
      } catch (NumberFormatException ignored) {
        // try retry-after
      }
    }
    String after = headers.get("retry-after");
    if (after == null) {
      return NO_HINT;
    }
    String text = after.trim();
    try {
      long seconds = Long.parseLong(text);
      return seconds < 0 ? NO_HINT : Math.multiplyExact(seconds, 1000L);
    } catch (NumberFormatException | ArithmeticException notSeconds) {
      try {
        long at = ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant().toEpochMilli();
        return Math.max(0, at - System.currentTimeMillis());
      } catch (DateTimeParseException notADate) {
        return NO_HINT;
      }
    }
  }

  /** Full jitter (AWS): random in [0, min(maxBackoff, backoff * 2^retry)], retry counted from 0. */
  public static long backoffMillis(RetryConfig retries, int retry) {
    long base = retries.backoff().toMillis();
    long cap = retries.maxBackoff().toMillis();
    long ceiling = retry >= 62 || base > (cap >> Math.min(retry, 62)) ? cap : Math.min(cap, base << retry);
    return ThreadLocalRandom.current().nextLong(ceiling + 1);
  }
}
