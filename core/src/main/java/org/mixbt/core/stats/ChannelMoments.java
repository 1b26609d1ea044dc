package org.mixbt.core.stats;

import java.io.Serializable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Count, mean and second central moment (sum of squared deviations) per channel of [n, C] or
 * [n, C, H, W] activations: what a BatchNorm layer's population statistics are made of. Every value of a
 * channel (all rows and all spatial positions) is one sample, as BatchNorm reduces over them.
 *
 * <p>Partials merge exactly (Chan et al. 1979): with δ = mean_b − mean_a and n = n_a + n_b,
 * mean = mean_a + δ·n_b/n and M2 = M2_a + M2_b + δ²·n_a·n_b/n. Unlike raw sums of squares this does not
 * cancel catastrophically when the mean is large against the spread.
 */
public final class ChannelMoments implements Serializable {
  private static final long serialVersionUID = 1L;

  private final long count;
  private final double[] mean;
  private final double[] m2;

  private ChannelMoments(long count, double[] mean, double[] m2) {
    this.count = count;
    this.mean = mean;
    this.m2 = m2;
  }

  /** No samples yet over {@code channels} channels: the identity of {@link #merge}. */
  public static ChannelMoments empty(int channels) {
    return new ChannelMoments(0, new double[channels], new double[channels]);
  }

  /** The moments of one batch, computed in double precision. */
  public static ChannelMoments of(INDArray x) {
    if (x.rank() != 2 && x.rank() != 4) {
      throw new IllegalArgumentException("Cannot take channel moments: expected [n, C] or [n, C, H, W], got "
          + java.util.Arrays.toString(x.shape()));
    }
    int[] axes = x.rank() == 4 ? new int[] {0, 2, 3} : new int[] {0};
    INDArray d = x.castTo(DataType.DOUBLE);
    long perChannel = x.length() / x.size(1);
    double[] mean = d.mean(axes).toDoubleVector();
    // Biased variance times the count = the sum of squared deviations from this batch's mean.
    double[] m2 = d.var(false, axes).muli(perChannel).toDoubleVector();
    return new ChannelMoments(perChannel, mean, m2);
  }

  /** The moments of both sample sets pooled; neither operand changes. */
  public ChannelMoments merge(ChannelMoments other) {
    if (other.mean.length != mean.length) {
      throw new IllegalArgumentException("Cannot merge channel moments: " + mean.length + " channels and "
          + other.mean.length);
    }
    if (other.count == 0) {
      return this;
    }
    if (count == 0) {
      return other;
    }
    long n = count + other.count;
    double weight = (double) count * other.count / n;
    double[] m = new double[mean.length];
    double[] s = new double[mean.length];
    for (int c = 0; c < mean.length; c++) {
      double delta = other.mean[c] - mean[c];
      m[c] = mean[c] + delta * other.count / n;
      s[c] = m2[c] + other.m2[c] + delta * delta * weight;
    }
    return new ChannelMoments(n, m, s);
  }

  public long count() {
    return count;
  }

  public int channels() {
    return mean.length;
  }

  public double[] mean() {
    return mean.clone();
  }

  /** M2 / (n − 1) when {@code unbiased} (PyTorch's running_var convention), else M2 / n. */
  public double[] variance(boolean unbiased) {
    double divisor = unbiased ? count - 1 : count;
    if (!(divisor > 0)) {
      throw new IllegalStateException("Cannot take a variance of " + count + " samples");
    }
    double[] v = new double[m2.length];
    for (int c = 0; c < v.length; c++) {
      v[c] = m2[c] / divisor;
    }
    return v;
  }
}
