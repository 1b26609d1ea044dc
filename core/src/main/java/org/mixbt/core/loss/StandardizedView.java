package org.mixbt.core.loss;

import java.util.stream.IntStream;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * One view standardised per column over the batch, {@code z = (x - mean_rows(x)) / std_rows(x)} with the
 * unbiased std (divide by N-1) and no epsilon, plus the backward pass of that map. Package-private: the
 * loss owns it.
 */
final class StandardizedView {
  /** The standardised view, [N, d]. */
  final INDArray z;
  /** Unbiased std per column, [1, d]. */
  private final INDArray sigma;
  private final long n;

  private StandardizedView(INDArray z, INDArray sigma, long n) {
    this.z = z;
    this.sigma = sigma;
    this.n = n;
  }

  /**
   * Standardises {@code x} ([N, d]).
   *
   * @throws DegenerateBatchException when N < 2, or a column is constant (its values all equal, so its
   *     std is 0 in exact arithmetic even where rounding of the mean leaves a tiny non-zero value), or its
   *     std is not finite (NaN / infinite inputs)
   */
  static StandardizedView of(INDArray x, String view) {
    long n = x.rows();
    if (n < 2) {
      throw new DegenerateBatchException(view, IntStream.range(0, (int) x.columns()).toArray(), n);
    }
    // batch mean and centred values, per column
    INDArray centred = x.sub(x.mean(true, 0));
    // unbiased std: sqrt(sum_rows(centred^2) / (N - 1)), no epsilon
    INDArray sigma = Transforms.sqrt(centred.mul(centred).sum(true, 0).divi(n - 1), false);
    int[] bad = degenerateColumns(sigma, x.max(true, 0).subi(x.min(true, 0)));
    if (bad.length > 0) {
      throw new DegenerateBatchException(view, bad, n);
    }
    return new StandardizedView(centred.divi(sigma), sigma, n);
  }

  private static int[] degenerateColumns(INDArray sigma, INDArray range) {
    double[] s = sigma.toDoubleVector();
    double[] r = range.toDoubleVector();
    return IntStream.range(0, s.length)
        .filter(j -> !(Double.isFinite(s[j]) && s[j] > 0 && r[j] != 0))
        .toArray();
  }

  /**
   * Backpropagates {@code g = dL/dz} to {@code dL/dx}. With {@code z = (x - mu) / sigma} and
   * {@code d sigma / d x_i = z_i / (N - 1)} per column:
   * <pre>
   *   dL/dx = (g - mean_rows(g) - z * sum_rows(g * z) / (N - 1)) / sigma
   * </pre>
   * Overwrites and returns {@code g}.
   */
  INDArray backward(INDArray g) {
    // through the std: sum_rows(g * z) / (N - 1), per column
    INDArray viaStd = g.mul(z).sum(true, 0).divi(n - 1);
    // through the mean: mean_rows(g), per column
    INDArray viaMean = g.mean(true, 0);
    return g.subi(viaMean).subi(z.mul(viaStd)).divi(sigma);
  }
}
