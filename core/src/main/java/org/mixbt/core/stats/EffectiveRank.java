package org.mixbt.core.stats;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Effective rank of a covariance matrix (Roy and Vetterli 2007): exp(H(p)) with p_i = λ_i / Σλ the
 * normalised eigenvalues and H the Shannon entropy (natural log, 0·log 0 = 0). It is d for an isotropic
 * d×d covariance, 1 when all variance lies along one direction, and in between it counts the directions
 * that carry the variance. (RankMe applies the same formula to singular values of the embedding matrix,
 * i.e. the square roots of these eigenvalues; with eigenvalues a collapse shows more sharply.)
 */
public final class EffectiveRank {
  private EffectiveRank() {
  }

  /** Of a symmetric positive semi-definite d×d matrix, row-major. */
  public static double of(double[] symmetric, int d) {
    if (symmetric.length != (long) d * d || d < 1) {
      throw new IllegalArgumentException("Cannot take an effective rank: " + symmetric.length
          + " values are not a " + d + "x" + d + " matrix");
    }
    INDArray a = Nd4j.create(symmetric, new long[] {d, d}, DataType.DOUBLE);
    INDArray eigenvalues = Nd4j.create(DataType.DOUBLE, d);
    // LAPACK syev with jobz = 'N': eigenvalues only, several times faster than ND4J's Eigen, which always
    // asks for the eigenvectors too. It overwrites its argument, a private copy here.
    int info = Nd4j.getBlasWrapper().lapack().syev('N', 'L', a, eigenvalues);
    if (info != 0) {
      throw new IllegalStateException("Cannot take an effective rank: LAPACK syev failed with info " + info);
    }
    return ofEigenvalues(eigenvalues.toDoubleVector());
  }

  /** Of a spectrum; round-off below zero counts as zero. NaN when no eigenvalue is positive. */
  public static double ofEigenvalues(double[] eigenvalues) {
    double total = 0;
    for (double l : eigenvalues) {
      total += Math.max(l, 0);
    }
    if (!(total > 0)) {
      return Double.NaN;
    }
    double entropy = 0;
    for (double l : eigenvalues) {
      double p = Math.max(l, 0) / total;
      if (p > 0) {
        entropy -= p * Math.log(p);
      }
    }
    return Math.exp(entropy);
  }
}
