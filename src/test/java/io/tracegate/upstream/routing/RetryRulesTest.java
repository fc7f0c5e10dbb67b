package io.tracegate.upstream.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracegate.config.RetryConfig;
import io.vertx.core.MultiMap;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.api.Test;

class RetryRulesTest {
  private static MultiMap headers(String... pairs) {
    MultiMap h = MultiMap.caseInsensitiveMultiMap();
    for (int i = 0; i + 1 < pairs.length; i += 2) {
      h.add(pairs[i], pairs[i + 1]);
    }
    return h;
  }

  @Test
  void retryableStatusesAreExactlyTheListedOnes() {
    for (int s = 100; s < 600; s++) {
      boolean expected = s == 408 || s == 409 || s == 429 || s == 500 || s == 502 || s == 503 || s == 504 || s == 529;
      assertThat(RetryRules.retryableStatus(s)).as("status %d", s).isEqualTo(expected);
    }
  }

  @Test
  void retryAfterInSecondsMillisecondsOrAsADate() {
    assertThat(RetryRules.retryAfterMillis(headers())).isEqualTo(RetryRules.NO_HINT);
    assertThat(RetryRules.retryAfterMillis(headers("Retry-After", "3"))).isEqualTo(3000);
    assertThat(RetryRules.retryAfterMillis(headers("retry-after-ms", "1500.2", "retry-after", "9"))).isEqualTo(1501);
    assertThat(RetryRules.retryAfterMillis(headers("retry-after-ms", "soon", "retry-after", "2"))).isEqualTo(2000);
    assertThat(RetryRules.retryAfterMillis(headers("retry-after", "later"))).isEqualTo(RetryRules.NO_HINT);
    assertThat(RetryRules.retryAfterMillis(headers("retry-after", "-4"))).isEqualTo(RetryRules.NO_HINT);
    String in30s = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(30));
    assertThat(RetryRules.retryAfterMillis(headers("retry-after", in30s))).isBetween(25_000L, 30_000L);
    String past = "Wed, 21 Oct 2015 07:28:00 GMT";
    assertThat(RetryRules.retryAfterMillis(headers("retry-after", past))).isZero();
  }

  @Test
  void backoffIsFullJitterUnderTheExponentialCeiling() {
    RetryConfig r = new RetryConfig(5, Duration.ofMillis(200), Duration.ofSeconds(1));
    long[] ceilings = {200, 400, 800, 1000, 1000, 1000};
    for (int retry = 0; retry < ceilings.length; retry++) {
      long max = 0;
      long min = Long.MAX_VALUE;
      for (int i = 0; i < 2000; i++) {
        long b = RetryRules.backoffMillis(r, retry);
        max = Math.max(max, b);
        min = Math.min(min, b);
      }
      assertThat(max).as("retry %d", retry).isLessThanOrEqualTo(ceilings[retry]).isGreaterThan(ceilings[retry] / 2);
      assertThat(min).as("retry %d", retry).isLessThan(ceilings[retry] / 2);
    }
    assertThat(RetryRules.backoffMillis(r, 70)).isBetween(0L, 1000L);
  }
}
