package io.tracegate.report;

import java.util.Arrays;
import org.HdrHistogram.Histogram;

/**
 * Durations of one group, for percentiles with bounded memory: the first {@value #EXACT_LIMIT} are kept as they
 * are (exact percentiles, nearest rank); beyond that they move into an HdrHistogram with 3 significant digits
 * (percentiles within 0.1%) from 1 microsecond to 1 day, a few tens of KB whatever the number of calls.
 */
final class LatencySample {
  static final int EXACT_LIMIT = 1024;
  private static final long MAX_MICROS = 86_400_000_000L;

  private long[] exact = new long[8];
  private int size;
  private Histogram histogram;

  void add(long nanos) {
    long micros = Math.max(0, Math.min(MAX_MICROS, nanos / 1000));
    if (histogram != null) {
      histogram.recordValue(micros);
      return;
    }
    if (size == EXACT_LIMIT) {
      histogram = new Histogram(MAX_MICROS, 3);
      for (int i = 0; i < size; i++) {
        histogram.recordValue(exact[i]);
      }
      exact = null;
      histogram.recordValue(micros);
      return;
    }
    if (size == exact.length) {
      exact = Arrays.copyOf(exact, Math.min(EXACT_LIMIT, size * 2));
    }
    exact[size++] = micros;
  }

  /** The {@code percentile} (0-100) in milliseconds, or null without samples. */
  Double percentileMillis(double percentile) {
    if (histogram != null) {
      return histogram.getValueAtPercentile(percentile) / 1000.0;
    }
    if (size == 0) {
      return null;
    }
    long[] sorted = Arrays.copyOf(exact, size);
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(percentile / 100.0 * size);
    return sorted[Math.max(0, Math.min(size - 1, rank - 1))] / 1000.0;
  }
}
