package org.mixbt.core.stats;

import java.io.Serializable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Count, column means of two row-aligned matrices X [n, p] and Y [n, q], and their co-moment
 * S = Σ_rows (x − mean_x)(y − mean_y)ᵀ [p, q] in double precision. With Y = X it is the scatter matrix
 * (n − 1 times the covariance); with X = z1 and Y = z2 it yields the two views' cross-correlation.
 *
 * <p>Partials merge exactly (Chan et al.'s pairwise update for co-moments): with δx, δy the differences of
 * the partials' means, S = S_a + S_b + δx·δyᵀ·n_a·n_b/n.
 */
public final class CrossMoments implements Serializable {
  private static final long serialVersionUID = 1L;

  private final long count;
  private final double[] meanX;
  private final double[] meanY;
  /** Row-major [p, q]. */
  private final double[] comoment;

  private CrossMoments(long count, double[] meanX, double[] meanY, double[] comoment) {
    this.count = count;
    this.meanX = meanX;
    this.meanY = meanY;
    this.comoment = comoment;
  }

  public static CrossMoments empty(int p, int q) {
    return new CrossMoments(0, new double[p], new double[q], new double[p * q]);
  }

  /** The moments of one batch of rows ({@code y} may be {@code x} itself). */
  public static CrossMoments of(INDArray x, INDArray y) {
    if (x.rank() != 2 || y.rank() != 2 || x.size(0) != y.size(0)) {
      throw new IllegalArgumentException("Cannot take cross moments: expected [n, p] and [n, q], got "
          + java.util.Arrays.toString(x.shape()) + " and " + java.util.Arrays.toString(y.shape()));
    }
    INDArray xd = x.castTo(DataType.DOUBLE);
    INDArray yd = y == x ? xd : y.castTo(DataType.DOUBLE);
    INDArray mx = xd.mean(0);
    INDArray my = yd == xd ? mx : yd.mean(0);
    INDArray cx = xd.subRowVector(mx);
    INDArray cy = yd == xd ? cx : yd.subRowVector(my);
    double[] s = cx.transpose().mmul(cy).dup('c').reshape(cx.size(1) * cy.size(1)).toDoubleVector();
    return new CrossMoments(x.size(0), mx.toDoubleVector(), my.toDoubleVector(), s);
  }

  public CrossMoments merge(CrossMoments other) {
    if (other.meanX.length != meanX.length || other.meanY.length != meanY.length) {
      throw new IllegalArgumentException("Cannot merge cross moments: [" + meanX.length + ", " + meanY.length
          + "] and [" + other.meanX.length + ", " + other.meanY.length + "]");
    }
    if (other.count == 0) {
      return this;
    }
    if (count == 0) {
      return other;
    }
    long n = count + other.count;
    double weight = (double) count * other.count / n;
    int p = meanX.length;
    int q = meanY.length;
    double[] dx = new double[p];
    double[] dy = new double[q];
    double[] mx = new double[p];
    double[] my = new double[q];
    for (int i = 0; i < p; i++) {
      dx[i] = other.meanX[i] - meanX[i];
      mx[i] = meanX[i] + dx[i] * other.count / n;
    }
    for (int j = 0; j < q; j++) {
      dy[j] = other.meanY[j] - meanY[j];
      my[j] = meanY[j] + dy[j] * other.count / n;
    }
    double[] s = new double[p * q];
    for (int i = 0; i < p; i++) {
      double wi = dx[i] * weight;
      for (int j = 0; j < q; j++) {
        s[i * q + j] = comoment[i * q + j] + other.comoment[i * q + j] + wi * dy[j];
      }
    }
    return new CrossMoments(n, mx, my, s);
  }

  public long count() {
    return count;
  }

  public int rows() {
    return meanX.length;
  }

  public int columns() {
    return meanY.length;
  }

  public double[] meanX() {
    return meanX.clone();
  }

  /** S[i][j], the co-moment of column i of X and column j of Y. */
  public double comoment(int i, int j) {
    return comoment[i * meanY.length + j];
  }

  /** S / (n − 1), the unbiased (cross-)covariance, row-major [p, q]. */
  public double[] covariance() {
    if (count < 2) {
      throw new IllegalStateException("Cannot take a covariance of " + count + " samples");
    }
    double[] c = comoment.clone();
    for (int i = 0; i < c.length; i++) {
      c[i] /= count - 1;
    }
    return c;
  }
}
