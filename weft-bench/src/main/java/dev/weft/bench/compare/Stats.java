package dev.weft.bench.compare;

import java.util.Arrays;

/**
 * Percentiles by the nearest-rank method: the smallest value with at least p% of values at or below
 * it.
 */
public final class Stats {
  private Stats() {}

  /** The p-th percentile (0 < p ≤ 100) of the values; NaN for none. */
  public static double percentile(long[] values, double p) {
    if (!(p > 0 && p <= 100))
      throw new IllegalArgumentException("percentile must be in (0, 100], got " + p);
    if (values.length == 0) return Double.NaN;
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(p / 100 * sorted.length);
    return sorted[Math.max(1, rank) - 1];
  }

  public static double mean(long[] values) {
    if (values.length == 0) return Double.NaN;
    double s = 0;
    for (long v : values) s += v;
    return s / values.length;
  }
}
