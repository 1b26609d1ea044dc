package org.mixbt.prep;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;
import org.mixbt.core.shard.ShardRecord;
import org.mixbt.core.shard.ShardManifest;

/**
 * Per-channel mean and population std of pixel/255 over every pixel of a split. Sums of the integer
 * pixel values and their squares are kept in longs (exact: 60000·784·255² ≈ 3·10¹² fits easily), and
 * only the final division is done in double.
 */
final class ChannelStats {
  private final long[] sum;
  private final long[] sumSquares;
  private final long[] count;

  ChannelStats(int channels) {
    sum = new long[channels];
    sumSquares = new long[channels];
    count = new long[channels];
  }

  /** Adds a raw record's pixels. */
  void add(ShardRecord r) {
    if (!r.isRaw()) {
      throw new IllegalArgumentException("Cannot add encoded record to channel statistics: " + r);
    }
    add(r.bytes(), r.channels());
  }

  /** Adds HWC uint8 pixels with {@code channels} channels (must equal this instance's channel count). */
  void add(byte[] pixels, int channels) {
    if (channels != sum.length) {
      throw new IllegalArgumentException("Cannot add " + channels + "-channel pixels to " + sum.length
          + "-channel statistics");
    }
    for (int i = 0; i < pixels.length; i++) {
      int v = pixels[i] & 0xFF;
      int c = i % channels; // HWC: the channel varies fastest
      sum[c] += v;
      sumSquares[c] += (long) v * v;
      count[c]++;
    }
  }

  /**
   * Mean and std from exact per-channel sums and sums of squares over {@code pixels} pixels per channel
   * (the distributed path aggregates these with Spark); exact rational arithmetic until the final double.
   */
  static ShardManifest.Normalization normalization(String split, BigInteger[] sum, BigInteger[] sumSquares,
      BigInteger pixels) {
    List<Double> mean = new ArrayList<>();
    List<Double> std = new ArrayList<>();
    BigDecimal n = new BigDecimal(pixels);
    for (int c = 0; c < sum.length; c++) {
      BigDecimal m = new BigDecimal(sum[c]).divide(n, MathContext.DECIMAL128);
      BigDecimal variance = new BigDecimal(sumSquares[c]).divide(n, MathContext.DECIMAL128).subtract(m.multiply(m))
          .max(BigDecimal.ZERO);
      mean.add(m.doubleValue() / 255.0);
      std.add(Math.sqrt(variance.doubleValue()) / 255.0);
    }
    return new ShardManifest.Normalization(split, mean, std, ShardManifest.STATS_DEFINITION);
  }

  ShardManifest.Normalization toNormalization(String split) {
    List<Double> mean = new ArrayList<>();
    List<Double> std = new ArrayList<>();
    for (int c = 0; c < sum.length; c++) {
      double n = count[c];
      double m = sum[c] / n;
      double variance = Math.max(0.0, sumSquares[c] / n - m * m);
      mean.add(m / 255.0);
      std.add(Math.sqrt(variance) / 255.0);
    }
    return new ShardManifest.Normalization(split, mean, std, ShardManifest.STATS_DEFINITION);
  }
}
